// Hostile plugin answers: arbitrary bytes as a router's Route answer and an
// admitter's Admit answer, through the engine (the wire reading, the check,
// the admits, the crediting and the merge, on the wire or parsed). Any
// decision or error is fine; a crash, a sanitizer report, a rule left without
// a plugin, an error that names neither plugin, or a check that accepts what
// protobuf refuses is not. Each answer is also expanded as a plugin that
// declared fixed texts would have it (server/wire/fixed_texts.h): the walk
// that checks it and finds its citations must expand it as the walk that
// only finds them does, and pass only what protobuf parses once expanded.
//
// Input: [u16 little-endian size of the route answer][route answer][admit answer].
// With clang and -DESCALATION_BUILD_FUZZERS=ON this is a libFuzzer target
// (tools/fuzz answer_fuzzer); otherwise main() below mutates built-in seeds
// deterministically, so ctest runs it on every build (and under ASan/UBSan).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "absl/strings/string_view.h"
#include "server/wire/decision_wire.h"
#include "server/wire/fixed_texts.h"
#include "server/wire/wire_reader.h"
#include "tests/fuzz/mutate.h"
#include "tests/support/scripted_plugins.h"

namespace {

namespace v1 = escalation::v1;
using escalation::host::ParsesAs;

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "answer_fuzzer: %s\n", what);
  std::abort();
}

int decided = 0, refused = 0;  // By the engine, for the summary.

std::string Cite(int index) {
  return std::string(escalation::host::kCitationPrefix) + std::to_string(index);
}

// A plugin that declared three fixed texts: a summary, a note, a script.
const escalation::test::ScriptedPlugin& Citer() {
  static const escalation::test::ScriptedPlugin* citer = [] {
    auto* plugin = new escalation::test::ScriptedPlugin("citer");
    v1::Decision summary, note, script;
    summary.set_summary("A summary declared once.");
    note.add_notes("A note declared once.");
    script.add_scripts()->set_text("A script declared once.");
    v1::PluginFixedTexts texts;
    for (const v1::Decision* d : {&summary, &note, &script}) {
      texts.add_decision_fragments(d->SerializeAsString());
    }
    Check(plugin->Declares(texts.SerializeAsString()).ok(), "the fixed texts were refused");
    return plugin;
  }();
  return *citer;
}

template <typename Answer>
void CheckExpansion(const std::string& answer) {
  const auto& type = *Answer::descriptor();
  google::protobuf::Arena arena;
  absl::string_view checked;
  std::string found = answer;
  bool checked_cites = false, found_cites = false, passes = false;
  const absl::Status checked_status = escalation::host::ExpandCheckedCitations(
      Citer(), type, answer, &arena, &checked, &checked_cites, &passes);
  const absl::Status found_status =
      escalation::host::ExpandCitations(Citer(), type, answer, &found, &found_cites);
  Check(checked_status == found_status && checked_cites == found_cites && checked == found,
        "the checking walk expanded an answer otherwise than the walk that finds citations");
  Answer parsed;
  Check(!passes || parsed.ParseFromString(std::string(checked)),
        "the checking walk passed an answer protobuf refuses once expanded");
}

// An input is the route answer's size (2 bytes, little-endian), the route
// answer, then the admit answer. False when it is too short to say.
bool Split(absl::string_view input, std::string* route, std::string* admit) {
  if (input.size() < 2) return false;
  const auto* size = reinterpret_cast<const uint8_t*>(input.data());
  const size_t route_size = std::min<size_t>(input.size() - 2, size[0] | (size_t{size[1]} << 8));
  *route = std::string(input.substr(2, route_size));
  *admit = std::string(input.substr(2 + route_size));
  return true;
}
std::string Join(const std::string& route, const std::string& admit) {
  std::string input;
  input.push_back(static_cast<char>(route.size() & 0xFF));
  input.push_back(static_cast<char>(route.size() >> 8));
  return input + route + admit;
}

void RunOne(const uint8_t* data, size_t size) {
  std::string route, admit;
  if (!Split(absl::string_view(reinterpret_cast<const char*>(data), size), &route, &admit)) {
    return;
  }
  v1::PluginRouteResponse route_parsed;
  v1::PluginAdmitResponse admit_parsed;
  Check(!ParsesAs(*v1::PluginRouteResponse::descriptor(), route) ||
            route_parsed.ParseFromString(route),
        "the check accepted a route answer protobuf refuses");
  Check(!ParsesAs(*v1::PluginAdmitResponse::descriptor(), admit) ||
            admit_parsed.ParseFromString(admit),
        "the check accepted an admit answer protobuf refuses");

  CheckExpansion<v1::PluginRouteResponse>(route);
  CheckExpansion<v1::PluginAdmitResponse>(admit);

  // The admitter admits by edit, declaring that its rule takes out the
  // router's other rule and its script.
  v1::OutputEdit declared;
  declared.set_rule_id("admitter.rule");
  declared.set_removes_rule_id("router.other");
  declared.set_removes_script_id("a.script");
  const escalation::test::ScriptedEngine e = escalation::test::EngineAnswering(
      route, admit, std::vector<v1::OutputEdit>{declared});
  Check(e.engine != nullptr, "the scripted plugins were refused");
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_evaluation_time()->set_seconds(1795446000);
  const absl::StatusOr<v1::RouteResponse> routed =
      e.engine->Route(request, absl::FromUnixSeconds(1795446000));
  if (routed.ok()) {
    ++decided;
    for (const v1::MatchedRule& rule : routed->decision().matched_rules()) {
      Check(!rule.plugin().empty(), "a rule of the decision names no plugin");
    }
    return;
  }
  ++refused;
  const std::string message(routed.status().message());
  Check(absl::IsInternal(routed.status()), "an error other than INTERNAL");
  Check(message.rfind("plugin router ", 0) == 0 || message.rfind("plugin admitter ", 0) == 0,
        "an error that names neither plugin");
}

[[maybe_unused]] std::vector<std::string> Seeds() {
  using escalation::host::wire::AppendLength;
  v1::Proposal to_the_desk;
  to_the_desk.set_priority(v1::LEADERSHIP_DESK_TIER1);
  v1::Decision* d = to_the_desk.mutable_decision();
  d->set_action(v1::TRANSFER);
  d->set_destination(v1::Decision::LEADERSHIP_DESK);
  d->add_steps()->set_text("Reach out to your supervisor.");
  d->add_matched_rules()->set_rule_id("router.rule");
  d->add_required_records()->set_record_type("a.record");
  (*d->mutable_extensions()->mutable_fields())["site"].set_string_value("tampa");
  v1::Proposal here;
  here.set_priority(v1::RESOLVE_IN_DEPARTMENT);
  here.mutable_decision()->set_action(v1::RESOLVE_HERE);
  here.mutable_decision()->add_steps()->set_text("Update the ZIP code.");
  here.mutable_decision()->add_notes("A note.");
  here.mutable_decision()->add_matched_rules()->set_rule_id("router.other");
  // Citing the fixed texts (Citer): as a text, in a note, as an item.
  v1::Proposal citing = here;
  citing.mutable_decision()->set_summary(Cite(0));
  citing.mutable_decision()->add_notes(Cite(1));
  v1::Script* script = citing.mutable_decision()->add_scripts();
  script->set_id("a.script");
  script->set_text(Cite(2));
  v1::PluginRouteResponse one, two, cites;
  *cites.add_proposals() = citing;
  *cites.add_proposals() = to_the_desk;
  *one.add_proposals() = to_the_desk;
  *two.add_proposals() = to_the_desk;
  *two.add_proposals() = here;
  v1::PluginAdmitResponse amended;
  *amended.mutable_amended() = to_the_desk;
  amended.mutable_amended()->mutable_decision()->set_action(v1::SCHEDULE_CALLBACK);
  amended.mutable_amended()->mutable_decision()->add_matched_rules()->set_rule_id("admitter.rule");
  // An edit (ABI 1.2): the output edit the admitter declares (RunOne), a
  // reset, and a decision merged in, citing a fixed text.
  v1::PluginAdmitResponse edited;
  v1::ProposalEdit* edit = edited.mutable_edit();
  edit->add_output_edits_by("admitter.rule");
  edit->mutable_resets()->add_paths("transfer_mode");
  edit->mutable_decision()->set_action(v1::SCHEDULE_CALLBACK);
  edit->mutable_decision()->add_steps()->set_text("Book the call back.");
  edit->mutable_decision()->add_notes(Cite(1));
  edit->mutable_decision()->add_matched_rules()->set_rule_id("admitter.rule");
  std::vector<std::string> seeds;
  for (const auto& [route, admit] :
       {std::pair(one.SerializeAsString(), amended.SerializeAsString()),
        std::pair(two.SerializeAsString(), std::string()),
        std::pair(two.SerializeAsString(), amended.SerializeAsString()),
        std::pair(cites.SerializeAsString(), amended.SerializeAsString()),
        std::pair(two.SerializeAsString(), edited.SerializeAsString()),
        std::pair(cites.SerializeAsString(), edited.SerializeAsString())}) {
    seeds.push_back(Join(route, admit));
  }
  return seeds;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RunOne(data, size);
  return 0;
}

#ifndef ESCALATION_LIBFUZZER
// Deterministic mutation run: flips, inserts, deletes and truncates bytes of
// one of the seeds' two answers, keeping the split between them.
// Usage: answer_fuzzer [iterations]
int main(int argc, char** argv) {
  const int iterations = escalation::fuzz::RunMutations(
      argc, argv, 2468, Seeds(), RunOne, [](std::mt19937& random, const std::string& seed) {
        std::string answers[2];
        Split(seed, &answers[0], &answers[1]);
        escalation::fuzz::Mutate(random, 1 + random() % 3, &answers[random() % 2]);
        return Join(answers[0], answers[1]);
      });
  std::printf("%d mutated plugin answers, no fault: %d decided, %d refused naming the plugin\n",
              iterations, decided, refused);
  if (decided < iterations / 10 || refused < iterations / 10) {
    std::fprintf(stderr, "answer_fuzzer: the mutations should give both kinds\n");
    return 1;
  }
  return 0;
}
#endif
