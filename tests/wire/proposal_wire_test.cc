// Proposals read from their wire bytes (server/wire/proposal_wire.h)
// as protobuf reads them, and a proposal crossing to another plugin's Admit
// as the bytes its router wrote: what the admitter is sent, who the rules of
// an amended proposal are credited to, and whose fault a broken one is.
#include "server/wire/proposal_wire.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/engine/policy_engine.h"
#include "tests/support/scripted_plugins.h"

namespace escalation::host {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Proposal MakeProposal(v1::Priority priority, v1::Action action,
                          v1::Decision::Destination destination,
                          std::vector<std::string> rule_ids) {
  v1::Proposal p;
  p.set_priority(priority);
  p.mutable_decision()->set_action(action);
  p.mutable_decision()->set_destination(destination);
  p.mutable_decision()->set_summary("A summary.");
  p.mutable_decision()->add_steps()->set_text("A step.");
  for (const std::string& id : rule_ids) {
    v1::MatchedRule* rule = p.mutable_decision()->add_matched_rules();
    rule->set_rule_id(id);
    rule->set_title("A title");
  }
  return p;
}

// Each head as protobuf reads the same bytes.
void ExpectReadsAsProtobuf(const std::string& bytes) {
  v1::PluginRouteResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  ProposalWires wires;
  ASSERT_TRUE(ReadProposals(bytes, &wires));
  ASSERT_EQ(static_cast<int>(wires.size()), parsed.proposals_size());
  for (int i = 0; i < parsed.proposals_size(); ++i) {
    const v1::Proposal& want = parsed.proposals(i);
    EXPECT_EQ(wires[i].priority, want.priority()) << i;
    EXPECT_EQ(wires[i].action, want.decision().action()) << i;
    EXPECT_EQ(wires[i].destination, want.decision().destination()) << i;
    v1::Proposal from_bytes;
    ASSERT_TRUE(from_bytes.ParseFromArray(wires[i].bytes.data(),
                                          static_cast<int>(wires[i].bytes.size())));
    EXPECT_EQ(from_bytes.SerializeAsString(), want.SerializeAsString()) << i;
    std::vector<std::string> ids;
    for (const auto& rule : want.decision().matched_rules()) ids.push_back(rule.rule_id());
    const RuleIds cited = CitedRules(wires[i].bytes);
    EXPECT_EQ(std::vector<std::string>(cited.begin(), cited.end()), ids) << i;
  }
}

TEST(ProposalWireTest, ReadsEachProposalAsProtobufDoes) {
  v1::PluginRouteResponse response;
  *response.add_proposals() = MakeProposal(v1::RETENTION_TRANSFER, v1::TRANSFER,
                                           v1::Decision::RETENTION, {"a.one", "a.two"});
  *response.add_proposals() = MakeProposal(v1::LEADERSHIP_DESK_TIER1, v1::SCHEDULE_CALLBACK,
                                           v1::Decision::LEADERSHIP_DESK, {"a.three"});
  *response.add_proposals() = v1::Proposal();  // Empty: every field at its default.
  ExpectReadsAsProtobuf(response.SerializeAsString());
}

TEST(ProposalWireTest, FollowsProtobufOnRepeatsUnknownFieldsAndWrongTypes) {
  const std::string first = MakeProposal(v1::RETENTION_TRANSFER, v1::TRANSFER,
                                         v1::Decision::RETENTION, {"a.one"})
                                .SerializeAsString();
  // A proposal given in two pieces: the later priority and action win, the
  // rules of both decisions are kept; unknown fields of every wire type; a
  // field 1 of the wrong type, which protobuf keeps as unknown.
  v1::Proposal later;
  later.set_priority(v1::TIER2_SITUATION);
  later.mutable_decision()->set_action(v1::SUPERVISOR_TAKEOVER);
  later.mutable_decision()->add_matched_rules()->set_rule_id("a.two");
  const std::string unknown_fields =
      std::string("\xa0\x06\x07", 3) +                 // field 100, varint 7
      std::string("\xa9\x06", 2) + std::string(8, 'x') +  // field 101, fixed64
      std::string("\xb5\x06", 2) + std::string(4, 'y') +  // field 102, fixed32
      std::string("\xba\x06\x02zz", 5);                // field 103, 2 bytes
  const std::string proposal = first + later.SerializeAsString() + unknown_fields;
  std::string bytes;
  bytes += std::string("\x0a", 1) + static_cast<char>(proposal.size()) + proposal;
  bytes += std::string("\x08\x05", 2);  // Field 1 as a varint.
  bytes += unknown_fields;
  ASSERT_LT(proposal.size(), 128u);
  ExpectReadsAsProtobuf(bytes);
}

TEST(ProposalWireTest, BrokenBytesAreNotRead) {
  const std::string proposal = MakeProposal(v1::RETENTION_TRANSFER, v1::TRANSFER,
                                            v1::Decision::RETENTION, {"a.one"})
                                   .SerializeAsString();
  ProposalWires wires;
  const std::string whole = std::string("\x0a", 1) + static_cast<char>(proposal.size()) + proposal;
  EXPECT_TRUE(ReadProposals(whole, &wires));
  EXPECT_FALSE(ReadProposals(whole.substr(0, whole.size() - 1), &wires));  // Cut short.
  EXPECT_FALSE(ReadProposals(std::string("\x0b\x0c", 2), &wires));        // A group.
  EXPECT_FALSE(ReadProposals(std::string("\x08\xff", 2), &wires));        // A varint cut short.
  EXPECT_FALSE(ReadProposals(std::string("\x00\x01", 2), &wires));        // Field number 0.
}

TEST(ProposalWireTest, AnAdmitRequestIsTheRouteRequestAndTheProposal) {
  v1::PluginRouteRequest route;
  route.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  route.mutable_evaluation_time()->set_seconds(1700000000);
  const v1::Proposal proposal =
      MakeProposal(v1::RETENTION_TRANSFER, v1::TRANSFER, v1::Decision::RETENTION, {"a.one"});
  google::protobuf::Arena arena;
  const absl::string_view bytes =
      WriteAdmitRequest(route.SerializeAsString(), proposal.SerializeAsString(), &arena);
  v1::PluginAdmitRequest admit;
  ASSERT_TRUE(admit.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  EXPECT_EQ(admit.call().SerializeAsString(), route.call().SerializeAsString());
  EXPECT_EQ(admit.evaluation_time().seconds(), 1700000000);
  EXPECT_EQ(admit.proposal().SerializeAsString(), proposal.SerializeAsString());
}

using test::ScriptedEngine;

// A router proposing `proposal` to the Leadership Desk (its bytes as given),
// and an admitter for it answering `admit_answer`.
ScriptedEngine EngineWith(const std::string& proposal, absl::StatusOr<std::string> admit_answer) {
  ScriptedEngine e = test::EngineProposing(proposal, std::move(admit_answer));
  EXPECT_NE(e.engine, nullptr);
  return e;
}

v1::RouteRequest Call() { return test::ScriptedCall(); }

const std::string kToTheDesk =
    MakeProposal(v1::LEADERSHIP_DESK_TIER1, v1::TRANSFER, v1::Decision::LEADERSHIP_DESK,
                 {"router.rule"})
        .SerializeAsString();

TEST(AdmitOnTheWireTest, TheAdmitterIsSentTheRoutersProposalAsItCame) {
  v1::PluginAdmitResponse unchanged;
  ScriptedEngine e = EngineWith(kToTheDesk, unchanged.SerializeAsString());
  auto routed = e.engine->Route(Call(), absl::Now());
  ASSERT_TRUE(routed.ok()) << routed.status();
  v1::PluginAdmitRequest sent;
  ASSERT_TRUE(sent.ParseFromString(e.admitter->admit_request()));
  EXPECT_EQ(sent.proposal().SerializeAsString(), kToTheDesk);
  EXPECT_EQ(sent.call().department(), v1::CUSTOMER_SERVICE);
  EXPECT_EQ(sent.evaluation_time().seconds(), 1700000000);
  // Unamended, it is the decision, its rule credited to its router.
  ASSERT_EQ(routed->decision().matched_rules_size(), 1);
  EXPECT_EQ(routed->decision().matched_rules(0).plugin(), "router");
  EXPECT_EQ(routed->decision().matched_rules(0).plugin_version(), "1.2.3");
}

TEST(AdmitOnTheWireTest, TheRulesOfAnAmendedProposalAreCreditedToWhoCitedThem) {
  v1::PluginAdmitResponse amended;
  v1::Proposal* p = amended.mutable_amended();
  p->ParseFromString(kToTheDesk);
  p->mutable_decision()->set_action(v1::SCHEDULE_CALLBACK);
  p->mutable_decision()->add_matched_rules()->set_rule_id("admitter.rule");
  v1::MatchedRule* claimed = p->mutable_decision()->add_matched_rules();
  claimed->set_rule_id("elsewhere.rule");
  claimed->set_plugin("elsewhere");  // Kept: only unstamped rules are stamped.
  ScriptedEngine e = EngineWith(kToTheDesk, amended.SerializeAsString());
  auto routed = e.engine->Route(Call(), absl::Now());
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->decision().action(), v1::SCHEDULE_CALLBACK);
  std::vector<std::string> credited;
  for (const auto& rule : routed->decision().matched_rules()) {
    credited.push_back(rule.rule_id() + " by " + rule.plugin());
  }
  EXPECT_THAT(credited, ElementsAre("router.rule by router", "admitter.rule by admitter",
                                    "elsewhere.rule by elsewhere"));
}

// An admitter that amends a proposal into an empty one: the decision is the
// empty proposal's, as protobuf reads an empty `amended`, not the router's.
TEST(AdmitOnTheWireTest, AnEmptyAmendmentIsAnEmptyProposal) {
  const std::string empty_amended("\x0a\x00", 2);  // PluginAdmitResponse.amended = {}
  ScriptedEngine e = EngineWith(kToTheDesk, empty_amended);
  auto routed = e.engine->Route(Call(), absl::Now());
  ASSERT_TRUE(routed.ok()) << routed.status();
  EXPECT_EQ(routed->decision().action(), v1::ACTION_UNSPECIFIED);
  EXPECT_EQ(routed->decision().destination(), v1::Decision::DESTINATION_UNSPECIFIED);
  EXPECT_EQ(routed->decision().matched_rules_size(), 0);
}

// A proposal its router broke inside (a step that is not UTF-8), which the
// wire reader passes on: whether the admitter refuses it or leaves it as it
// is, the error names the router.
TEST(AdmitOnTheWireTest, ABrokenProposalIsItsRoutersFaultWhoeverReadsIt) {
  v1::Proposal broken =
      MakeProposal(v1::LEADERSHIP_DESK_TIER1, v1::TRANSFER, v1::Decision::LEADERSHIP_DESK, {});
  broken.mutable_decision()->mutable_steps(0)->set_text("caf\xe9");
  const std::string bytes = broken.SerializeAsString();  // Serializing only logs.
  for (absl::StatusOr<std::string> admit_answer :
       {absl::StatusOr<std::string>(absl::InvalidArgumentError(
            "plugin admitter refused admit: the request does not parse")),
        absl::StatusOr<std::string>(v1::PluginAdmitResponse().SerializeAsString())}) {
    ScriptedEngine e = EngineWith(bytes, admit_answer);
    auto routed = e.engine->Route(Call(), absl::Now());
    EXPECT_TRUE(absl::IsInternal(routed.status())) << routed.status();
    EXPECT_THAT(std::string(routed.status().message()),
                HasSubstr("plugin router returned bytes from route that do not parse as "
                          "escalation.v1.PluginRouteResponse"));
  }
}

}  // namespace
}  // namespace escalation::host
