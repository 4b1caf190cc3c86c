// The Route answer written on the wire (server/wire/decision_wire.h):
// its check accepts only what protobuf parses, and the answer it writes is
// what parsing, crediting and merging the one proposal gives.
#include "server/wire/decision_wire.h"

#include <memory>
#include <random>

#include "escalation/v1/service.pb.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/merge/merge.h"
#include "server/engine/plugin_answer.h"
#include "server/wire/wire_reader.h"

namespace escalation::host {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

class NamedPlugin final : public Plugin {
 public:
  explicit NamedPlugin(const std::string& name) {
    info_.mutable_manifest()->set_name(name);
    info_.mutable_manifest()->set_version("2.0.1");
  }
  void Call(PluginMethod, absl::string_view, absl::Time, PluginReply reply) const override {
    std::move(reply)(absl::InternalError("not called"));
  }
};

class BytesProposal;

// A decision with one of everything the merge looks at.
v1::Proposal Full() {
  v1::Proposal p;
  p.set_priority(v1::LEADERSHIP_DESK_TIER1);
  v1::Decision* d = p.mutable_decision();
  d->set_action(v1::SCHEDULE_CALLBACK);
  d->set_destination(v1::Decision::LEADERSHIP_DESK);
  d->set_summary("Schedule a Call Back with a supervisor.");
  for (const char* text : {"Reach out to your supervisor.", "Offer the Call Back."}) {
    d->add_steps()->set_text(text);
  }
  v1::Script* script = d->add_scripts();
  script->set_id("offer");
  script->set_text("I can have a supervisor call you back – café time.");
  for (const char* type : {"ld.callback_exception", "ld.job_note"}) {
    v1::RequiredRecord* record = d->add_required_records();
    record->set_record_type(type);
    record->add_fields()->set_name("Exception Type");
  }
  d->add_notes("A note.");
  d->mutable_callback()->set_summary("Within 24 hours.");
  (*d->mutable_extensions()->mutable_fields())["site"].set_string_value("tampa");
  d->add_matched_rules()->set_rule_id("cs.rule");
  d->add_matched_rules()->set_rule_id("ld.rule");
  v1::MatchedRule* named = d->add_matched_rules();
  named->set_rule_id("other.rule");
  named->set_plugin("other");
  return p;
}

struct Written {
  std::vector<std::unique_ptr<BytesProposal>> proposals;  // The rules' ids borrow from them.
  bool written = false;
  v1::RouteResponse response;
  RouteResponseBytes bytes;
};

const Plugin& CreditFor(absl::string_view rule_id) {
  static const NamedPlugin router("customer_service"), admitter("leadership_desk");
  return absl::StartsWith(rule_id, "cs.") ? static_cast<const Plugin&>(router) : admitter;
}

// A proposal's bytes, its cs.* rules credited to customer_service and the
// others to leadership_desk.
class BytesProposal final : public WireProposal {
 public:
  explicit BytesProposal(std::string bytes) : bytes_(std::move(bytes)) {}
  absl::string_view proposal_bytes() const override { return bytes_; }
  const Plugin& Credit(absl::string_view rule_id) const override { return CreditFor(rule_id); }

 private:
  std::string bytes_;
};

// Held by pointer: what it wrote borrows from the proposals it keeps.
std::unique_ptr<Written> WriteAll(const std::vector<std::string>& proposals) {
  google::protobuf::Timestamp at;
  at.set_seconds(1795446000);
  auto w = std::make_unique<Written>();
  std::vector<const WireProposal*> pointers;
  for (const std::string& p : proposals) {
    w->proposals.push_back(std::make_unique<BytesProposal>(p));
    pointers.push_back(w->proposals.back().get());
  }
  w->written = WriteRouteResponse(pointers, at, &w->bytes);
  if (w->written) {
    EXPECT_TRUE(w->response.ParseFromString(w->bytes.bytes));
  }
  return w;
}

std::unique_ptr<Written> Write(const std::string& proposal) { return WriteAll({proposal}); }

// What the engine's merge makes of the same proposals, parsed and credited.
v1::RouteResponse MergedAll(std::vector<v1::Proposal> proposals) {
  std::vector<v1::Proposal*> pointers;
  for (v1::Proposal& p : proposals) {
    CreditRules(p.mutable_decision()->mutable_matched_rules(),
                [](const std::string& id) -> const Plugin& { return CreditFor(id); });
    pointers.push_back(&p);
  }
  v1::RouteResponse response;
  MergeProposals(pointers, response.mutable_decision());
  response.mutable_evaluation_time()->set_seconds(1795446000);
  return response;
}
v1::RouteResponse Merged(const v1::Proposal& proposal) { return MergedAll({proposal}); }

TEST(DecisionWireTest, WritesWhatTheMergeOfTheOneProposalGives) {
  const v1::Proposal proposal = Full();
  const std::unique_ptr<Written> written = Write(proposal.SerializeAsString());
  const Written& w = *written;
  ASSERT_TRUE(w.written);
  EXPECT_EQ(w.response.SerializeAsString(), Merged(proposal).SerializeAsString());
  EXPECT_EQ(w.bytes.action, v1::SCHEDULE_CALLBACK);
  EXPECT_EQ(w.bytes.destination, v1::Decision::LEADERSHIP_DESK);
  std::vector<std::pair<std::string, std::string>> rules;
  for (const auto& rule : w.bytes.rules) rules.emplace_back(rule.id, rule.plugin);
  EXPECT_THAT(rules, ElementsAre(Pair("cs.rule", "customer_service"),
                                 Pair("ld.rule", "leadership_desk"), Pair("other.rule", "other")));
}

TEST(DecisionWireTest, LeavesToTheMergeADecisionThatRepeatsAnItem) {
  auto repeats = [](auto change) {
    v1::Proposal p = Full();
    change(p.mutable_decision());
    return !Write(p.SerializeAsString())->written;
  };
  EXPECT_TRUE(repeats([](v1::Decision* d) { d->add_steps()->set_text("Offer the Call Back."); }));
  EXPECT_TRUE(repeats([](v1::Decision* d) { *d->add_scripts() = d->scripts(0); }));
  EXPECT_TRUE(repeats([](v1::Decision* d) { d->add_notes("A note."); }));
  EXPECT_TRUE(repeats([](v1::Decision* d) { d->add_matched_rules()->set_rule_id("ld.rule"); }));
  EXPECT_TRUE(repeats([](v1::Decision* d) { *d->add_required_records() = d->required_records(1); }));
  // The same step text under another rule is a repeat too; another id is not.
  EXPECT_TRUE(repeats([](v1::Decision* d) {
    v1::Step* step = d->add_steps();
    step->set_text("Offer the Call Back.");
    step->set_rule_id("ld.other");
  }));
  EXPECT_FALSE(repeats([](v1::Decision* d) { d->add_matched_rules()->set_rule_id("ld.third"); }));
}

TEST(DecisionWireTest, FindsARecordRepeatedInOtherBytes) {
  // The last record again, with its fields in another order: other bytes,
  // the same message, which the merge would drop.
  v1::Proposal p = Full();
  v1::RequiredRecord* record = p.mutable_decision()->mutable_required_records(1);
  record->set_when("after the call");
  v1::RequiredRecord when_only, rest = *record;
  when_only.set_when(record->when());
  rest.clear_when();
  const std::string reordered = when_only.SerializeAsString() + rest.SerializeAsString();
  ASSERT_NE(reordered, record->SerializeAsString());
  std::string decision = p.decision().SerializeAsString();
  wire::AppendLength(8, reordered, &decision);  // Decision.required_records
  std::string proposal;
  wire::AppendLength(1, decision, &proposal);  // Proposal.decision
  v1::Proposal parsed;
  ASSERT_TRUE(parsed.ParseFromString(proposal));
  ASSERT_EQ(parsed.decision().required_records(2).SerializeAsString(),
            record->SerializeAsString());
  EXPECT_FALSE(Write(proposal)->written);
}

// Items whose fields are given twice: the last one counts, as protobuf
// reads them (a rule named twice, a plugin named then cleared, a step's
// text given twice).
TEST(DecisionWireTest, ReadsEachItemAsProtobufDoes) {
  std::string rule_renamed, rule_unnamed, step_twice;
  wire::AppendLength(1, "ld.first", &rule_renamed);
  wire::AppendLength(1, "cs.rule", &rule_renamed);          // rule_id: cs.rule
  wire::AppendLength(1, "ld.rule", &rule_unnamed);
  wire::AppendLength(4, "someone", &rule_unnamed);
  wire::AppendLength(4, "", &rule_unnamed);                 // plugin: "" (credited)
  wire::AppendLength(1, "Offer the Call Back.", &step_twice);
  wire::AppendLength(1, "A third step.", &step_twice);      // text: not a repeat
  // Full() without its rules, which these would repeat.
  v1::Proposal plain = Full();
  plain.mutable_decision()->clear_matched_rules();
  std::string decision = plain.decision().SerializeAsString();
  wire::AppendLength(11, rule_renamed, &decision);
  wire::AppendLength(11, rule_unnamed, &decision);
  wire::AppendLength(7, step_twice, &decision);
  std::string proposal;
  wire::AppendLength(1, decision, &proposal);
  v1::Proposal parsed;
  ASSERT_TRUE(parsed.ParseFromString(proposal));
  ASSERT_EQ(parsed.decision().matched_rules(0).rule_id(), "cs.rule");
  const std::unique_ptr<Written> w = Write(proposal);
  ASSERT_TRUE(w->written);
  EXPECT_EQ(w->response.SerializeAsString(), Merged(parsed).SerializeAsString());
  ASSERT_EQ(w->bytes.rules.size(), 2u);
  EXPECT_EQ(w->bytes.rules[0].plugin, "customer_service");
  EXPECT_EQ(w->bytes.rules[1].plugin, "leadership_desk");
}

// Several proposals, made at random from a few actions, destinations,
// priorities and items (so that they fit under each other or not, and share
// items): what is written is what MergeProposals gives.
TEST(DecisionWireTest, MergesSeveralProposalsAsTheMergeDoes) {
  const v1::Action actions[] = {v1::RESOLVE_HERE, v1::TRANSFER, v1::FOLLOW_PROTOCOL,
                                v1::SCHEDULE_CALLBACK};
  const v1::Decision::Destination destinations[] = {
      v1::Decision::DESTINATION_UNSPECIFIED, v1::Decision::RETENTION,
      v1::Decision::LEADERSHIP_DESK, v1::Decision::MEDICAL_EMERGENCY_PROTOCOL};
  const v1::Priority priorities[] = {v1::RESOLVE_IN_DEPARTMENT, v1::RETENTION_TRANSFER,
                                     v1::LEADERSHIP_DESK_TIER1, v1::SAFETY_PROTOCOL};
  const char* texts[] = {"One.", "Two.", "Three.", "Four."};
  const char* rule_ids[] = {"cs.a", "cs.b", "ld.a", "ld.b"};
  std::mt19937 random(5);
  int written = 0, outranked = 0, absorbed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::vector<v1::Proposal> proposals(2 + random() % 3);
    for (v1::Proposal& p : proposals) {
      p.set_priority(priorities[random() % 4]);
      v1::Decision* d = p.mutable_decision();
      d->set_action(actions[random() % 4]);
      d->set_destination(destinations[random() % 4]);
      d->set_summary(texts[random() % 4]);
      for (int i = 0; i < 4; ++i) {
        if (random() % 2) d->add_steps()->set_text(texts[i]);
        if (random() % 3 == 0) d->add_notes(texts[i]);
        if (random() % 2) d->add_matched_rules()->set_rule_id(rule_ids[i]);
      }
      if (random() % 2) {
        v1::Script* script = d->add_scripts();
        script->set_id("s");
        script->set_text(texts[random() % 2]);
      }
      if (random() % 2) d->add_required_records()->set_record_type(texts[random() % 2]);
    }
    std::vector<v1::Proposal> ordered = proposals;
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
      return a.priority() > b.priority();
    });
    std::vector<std::string> bytes;
    for (const v1::Proposal& p : ordered) bytes.push_back(p.SerializeAsString());
    const std::unique_ptr<Written> w = WriteAll(bytes);
    if (!w->written) continue;
    ++written;
    const v1::RouteResponse merged = MergedAll(proposals);
    ASSERT_EQ(w->response.SerializeAsString(), merged.SerializeAsString())
        << "round " << round << "\nwritten: " << w->response.ShortDebugString()
        << "\nmerged:  " << merged.ShortDebugString();
    for (const std::string& note : merged.decision().notes()) {
      outranked += absl::StartsWith(note, "Also matched");
    }
    absorbed += merged.decision().steps_size() > ordered[0].decision().steps_size();
  }
  // Every kind of case came up.
  EXPECT_GT(written, 500);
  EXPECT_GT(outranked, 100);
  EXPECT_GT(absorbed, 100);
}

TEST(DecisionWireTest, LeavesToTheParserADecisionInTwoPieces) {
  v1::Proposal more;
  more.mutable_decision()->add_notes("Another note.");
  EXPECT_FALSE(Write(Full().SerializeAsString() + more.SerializeAsString())->written);
}

// Whatever the check accepts, protobuf parses: the valid answer, and each
// of thousands of corruptions of it.
TEST(DecisionWireTest, WhatTheCheckAcceptsProtobufParses) {
  v1::PluginAdmitResponse answer;
  *answer.mutable_amended() = Full();
  const std::string valid = answer.SerializeAsString();
  const auto& type = *v1::PluginAdmitResponse::descriptor();
  ASSERT_TRUE(ParsesAs(type, valid));
  std::mt19937 random(7);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = valid;
    const int changes = 1 + static_cast<int>(random() % 3);
    for (int c = 0; c < changes; ++c) {
      const size_t at = random() % bytes.size();
      switch (random() % 3) {
        case 0: bytes[at] = static_cast<char>(random()); break;
        case 1: bytes.erase(at, 1 + random() % 4); break;
        case 2: bytes.insert(at, 1, static_cast<char>(random())); break;
      }
      if (bytes.empty()) bytes = "x";
    }
    v1::PluginAdmitResponse parsed;
    const bool parses = parsed.ParseFromString(bytes);
    if (ParsesAs(type, bytes)) {
      ++accepted;
      EXPECT_TRUE(parses) << "accepted, but protobuf refuses, corruption " << i;
    } else {
      ++refused;
    }
  }
  // Both kinds were tried.
  EXPECT_GT(accepted, 100);
  EXPECT_GT(refused, 100);
}

// Whenever a corrupted proposal still makes an answer on the wire, it is the
// answer the merge gives for the proposal protobuf reads from those bytes.
TEST(DecisionWireTest, WhatIsWrittenIsWhatTheMergeGivesForAnyBytes) {
  const std::string valid = Full().SerializeAsString();
  std::mt19937 random(11);
  int written = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = valid;
    const size_t at = random() % bytes.size();
    switch (random() % 3) {
      case 0: bytes[at] = static_cast<char>(random()); break;
      case 1: bytes.erase(at, 1 + random() % 4); break;
      case 2: bytes.insert(at, 1, static_cast<char>(random())); break;
    }
    if (!ParsesAs(*v1::Proposal::descriptor(), bytes)) continue;
    const std::unique_ptr<Written> w = Write(bytes);
    if (!w->written) continue;
    ++written;
    v1::Proposal parsed;
    ASSERT_TRUE(parsed.ParseFromString(bytes)) << i;
    ASSERT_EQ(w->response.SerializeAsString(), Merged(parsed).SerializeAsString()) << i;
    EXPECT_EQ(w->bytes.action, parsed.decision().action()) << i;
    EXPECT_EQ(w->bytes.destination, parsed.decision().destination()) << i;
    ASSERT_EQ(static_cast<int>(w->bytes.rules.size()), w->response.decision().matched_rules_size());
    for (size_t r = 0; r < w->bytes.rules.size(); ++r) {
      const v1::MatchedRule& rule = w->response.decision().matched_rules(static_cast<int>(r));
      EXPECT_EQ(w->bytes.rules[r].id, rule.rule_id()) << i;
      EXPECT_EQ(w->bytes.rules[r].plugin, rule.plugin()) << i;
    }
  }
  EXPECT_GT(written, 1000);
}

TEST(DecisionWireTest, TheCheckRefusesWhatProtobufRefuses) {
  const auto& type = *v1::PluginAdmitResponse::descriptor();
  v1::PluginAdmitResponse answer;
  *answer.mutable_amended() = Full();
  answer.mutable_amended()->mutable_decision()->mutable_steps(0)->set_text("caf\xe9");
  EXPECT_FALSE(ParsesAs(type, answer.SerializeAsString()));  // Not UTF-8, deep inside.
  answer.mutable_amended()->mutable_decision()->mutable_steps(0)->set_text("ok");
  (*answer.mutable_amended()->mutable_decision()->mutable_extensions()->mutable_fields())
      ["\xff"].set_bool_value(true);  // A map key that is not UTF-8.
  EXPECT_FALSE(ParsesAs(type, answer.SerializeAsString()));
  // Structs nested deeper than protobuf's limit.
  google::protobuf::Struct deep;
  google::protobuf::Struct* at = &deep;
  for (int i = 0; i < 60; ++i) at = (*at->mutable_fields())["x"].mutable_struct_value();
  v1::PluginAdmitResponse nested;
  *nested.mutable_amended()->mutable_decision()->mutable_extensions() = deep;
  v1::PluginAdmitResponse parsed;
  EXPECT_EQ(ParsesAs(type, nested.SerializeAsString()),
            parsed.ParseFromString(nested.SerializeAsString()));
  EXPECT_FALSE(parsed.ParseFromString(nested.SerializeAsString()));
}

}  // namespace
}  // namespace escalation::host
