// Hostile plugin answers: arbitrary bytes as a router's Route answer and an
// admitter's Admit answer, through the engine (the wire reading, the check,
// the admits, the crediting and the merge, on the wire or parsed). Any
// decision or error is fine; a crash, a sanitizer report, a rule left without
// a plugin, an error that names neither plugin, or a check that accepts what
// protobuf refuses is not.
//
// Input: [u16 little-endian size of the route answer][route answer][admit answer].
// With clang and -DESCALATION_BUILD_FUZZERS=ON this is a libFuzzer target
// (tools/fuzz answer_fuzzer); otherwise main() below mutates built-in seeds
// deterministically, so ctest runs it on every build (and under ASan/UBSan).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "server/plugin_host/decision_wire.h"
#include "server/plugin_host/wire_reader.h"
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

void RunOne(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const size_t route_size = std::min<size_t>(size - 2, data[0] | (size_t{data[1]} << 8));
  const std::string route(reinterpret_cast<const char*>(data) + 2, route_size);
  const std::string admit(reinterpret_cast<const char*>(data) + 2 + route_size,
                          size - 2 - route_size);
  v1::PluginRouteResponse route_parsed;
  v1::PluginAdmitResponse admit_parsed;
  Check(!ParsesAs(*v1::PluginRouteResponse::descriptor(), route) ||
            route_parsed.ParseFromString(route),
        "the check accepted a route answer protobuf refuses");
  Check(!ParsesAs(*v1::PluginAdmitResponse::descriptor(), admit) ||
            admit_parsed.ParseFromString(admit),
        "the check accepted an admit answer protobuf refuses");

  const escalation::test::ScriptedEngine e = escalation::test::EngineAnswering(route, admit);
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
  v1::PluginRouteResponse one, two;
  *one.add_proposals() = to_the_desk;
  *two.add_proposals() = to_the_desk;
  *two.add_proposals() = here;
  v1::PluginAdmitResponse amended;
  *amended.mutable_amended() = to_the_desk;
  amended.mutable_amended()->mutable_decision()->set_action(v1::SCHEDULE_CALLBACK);
  amended.mutable_amended()->mutable_decision()->add_matched_rules()->set_rule_id("admitter.rule");
  std::vector<std::string> seeds;
  for (const auto& [route, admit] :
       {std::pair(one.SerializeAsString(), amended.SerializeAsString()),
        std::pair(two.SerializeAsString(), std::string()),
        std::pair(two.SerializeAsString(), amended.SerializeAsString())}) {
    std::string seed;
    seed.push_back(static_cast<char>(route.size() & 0xFF));
    seed.push_back(static_cast<char>(route.size() >> 8));
    seeds.push_back(seed + route + admit);
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
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 20000;
  std::mt19937 random(2468);
  const std::vector<std::string> seeds = Seeds();
  for (int i = 0; i < iterations; ++i) {
    const std::string& seed = seeds[i % seeds.size()];
    const size_t route_size = static_cast<uint8_t>(seed[0]) | (size_t{static_cast<uint8_t>(seed[1])} << 8);
    std::string answers[2] = {seed.substr(2, route_size), seed.substr(2 + route_size)};
    escalation::fuzz::Mutate(random, 1 + random() % 3, &answers[random() % 2]);
    std::string joined;
    joined.push_back(static_cast<char>(answers[0].size() & 0xFF));
    joined.push_back(static_cast<char>(answers[0].size() >> 8));
    joined += answers[0] + answers[1];
    RunOne(reinterpret_cast<const uint8_t*>(joined.data()), joined.size());
  }
  std::printf("%d mutated plugin answers, no fault: %d decided, %d refused naming the plugin\n",
              iterations, decided, refused);
  if (decided < iterations / 10 || refused < iterations / 10) {
    std::fprintf(stderr, "answer_fuzzer: the mutations should give both kinds\n");
    return 1;
  }
  return 0;
}
#endif
