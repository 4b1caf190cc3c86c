// What a rule table answers: the outcome of each row that holds, joined,
// amended or revised by later rows (route tables), edits to a proposal
// (admit tables, slots filled in place), violations (validate tables); and
// the true, false or not-known facts the rows' conditions read.
#include "escalation/sdk/rule_table.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rule_table_plugins.h"

namespace escalation::sdk {
namespace {

using ::escalation::sdk::rule_table_test::Call;
using ::escalation::sdk::rule_table_test::SlotPlugin;
using ::escalation::sdk::rule_table_test::TablePlugin;
using ::escalation::sdk::testing::RuleIds;
using ::escalation::sdk::testing::StepTexts;
using ::testing::ElementsAre;

struct Check {
  const v1::Task& task;
};

absl::StatusOr<v1::PluginRouteResponse> RouteOf(const Plugin& plugin,
                                               const v1::CallFacts& call) {
  return testing::RouteAt(plugin, call, absl::UnixEpoch());
}

TEST(RouteTableTest, EmitsTheDeclaredOutcomeThenTheCallsDetail) {
  TablePlugin plugin("t.hours", "t.task");
  ASSERT_TRUE(plugin.load_status().ok()) << plugin.load_status();
  v1::CallFacts call;
  call.add_threats(v1::CANCEL_WARRANTY);
  call.set_customer_name("Ada");
  auto response = RouteOf(plugin, call);
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->proposals_size(), 1);
  EXPECT_EQ(response->proposals(0).priority(), v1::TIER2_SITUATION);
  const v1::Decision& d = response->proposals(0).decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_EQ(d.destination(), v1::Decision::TIER2);
  EXPECT_EQ(d.transfer_mode(), v1::WARM);
  EXPECT_EQ(d.summary(), "Warm-transfer to T2. Ada");
  ASSERT_EQ(d.scripts_size(), 1);
  EXPECT_EQ(d.scripts(0).rule_id(), "t.transfer");
  EXPECT_THAT(StepTexts(d), ElementsAre("Hold.", "Transfer."));
  ASSERT_EQ(d.required_records_size(), 1);
  EXPECT_EQ(d.required_records(0).record_type(), "t.task");
  EXPECT_EQ(d.required_records(0).rule_id(), "t.record");
  EXPECT_THAT(d.notes(), ElementsAre("Tier 2 may be closed."));
  EXPECT_THAT(RuleIds(d), ElementsAre("t.transfer", "t.record", "t.hours"));
}

TEST(RouteTableTest, TheStandardRowNamesReasonsNoRowHandles) {
  TablePlugin plugin("t.hours", "t.task");
  ASSERT_NE(plugin.table().coverage(), nullptr);
  EXPECT_TRUE(plugin.table().coverage()->Handles(v1::CANCEL_WARRANTY));
  EXPECT_FALSE(plugin.table().coverage()->Handles(v1::MEDICAL_EMERGENCY));

  v1::CallFacts alone;
  alone.add_reasons(v1::MEDICAL_EMERGENCY);
  auto stay = RouteOf(plugin, alone);
  ASSERT_TRUE(stay.ok());
  ASSERT_EQ(stay->proposals_size(), 1);
  EXPECT_EQ(stay->proposals(0).priority(), v1::RESOLVE_IN_DEPARTMENT);
  const v1::Decision& d = stay->proposals(0).decision();
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.destination(), v1::Decision::CUSTOMER_SERVICE);
  EXPECT_EQ(d.summary(), "Nothing covers this call.");
  EXPECT_THAT(d.notes(), ElementsAre("MEDICAL_EMERGENCY: no rule covers this reason."));
  EXPECT_THAT(RuleIds(d), ElementsAre("t.uncovered"));

  v1::CallFacts both = alone;
  both.add_threats(v1::CANCEL_WARRANTY);
  auto noted = RouteOf(plugin, both);
  ASSERT_TRUE(noted.ok());
  ASSERT_EQ(noted->proposals_size(), 1);
  EXPECT_EQ(noted->proposals(0).decision().destination(), v1::Decision::TIER2);
  EXPECT_THAT(noted->proposals(0).decision().notes(),
              ElementsAre("Tier 2 may be closed.",
                          "MEDICAL_EMERGENCY: no rule covers this reason."));
}

// ---- Rows that join, amend and revise the proposals made so far ----

Outcome Resolve(std::string summary) {
  return Outcome()
      .Priority(v1::RESOLVE_IN_DEPARTMENT)
      .Action(v1::RESOLVE_HERE)
      .To(v1::Decision::CUSTOMER_SERVICE)
      .Summary(std::move(summary));
}
bool Always(const Call&) { return true; }

TEST(RouteTableTest, ARowJoinsTheProposalOfItsActionAndDestination) {
  using Row = DecisionRow<Call>;
  RouteTable<Call> table({Row({"t.a", "A", "Article"}, Always, Resolve("First.").Step("a")),
                          Row({"t.b", "B", "Article"}, Always, Resolve("Second.").Note("b")),
                          Row({"t.c", "C", "Article"}, Always,
                              Resolve("Third.").To(v1::Decision::TIER2))});
  table.JoinSameProposal();
  v1::CallFacts call;
  v1::PluginRouteResponse response;
  Apply(table, Call{call}, &response);
  ASSERT_EQ(response.proposals_size(), 2);
  const v1::Decision& joined = response.proposals(0).decision();
  EXPECT_EQ(joined.summary(), "First.");
  EXPECT_THAT(StepTexts(joined), ElementsAre("a"));
  EXPECT_THAT(joined.notes(), ElementsAre("b"));
  EXPECT_THAT(RuleIds(joined), ElementsAre("t.a", "t.b"));
  EXPECT_EQ(response.proposals(1).decision().summary(), "Third.");
  EXPECT_EQ(table.Fired(Call{call}), (std::set<std::string>{"t.a", "t.b", "t.c"}));

  // Without JoinSameProposal every row proposes.
  RouteTable<Call> apart({Row({"t.a", "A", "Article"}, Always, Resolve("First.")),
                          Row({"t.b", "B", "Article"}, Always, Resolve("Second."))});
  v1::PluginRouteResponse two;
  Apply(apart, Call{call}, &two);
  EXPECT_EQ(two.proposals_size(), 2);
}

TEST(RouteTableTest, AnAmendingRowGoesIntoEachProposalItPicks) {
  using Row = DecisionRow<Call>;
  const auto to_tier2 = [](const Call&, const v1::Decision& d) {
    return d.destination() == v1::Decision::TIER2;
  };
  RouteTable<Call> table(
      {Row({"t.stay", "Stay", "Article"}, Always, Resolve("Stay.")),
       Row::Amend({"t.hours", "Hours", "Article"}, Always, to_tier2,
                  Outcome().Note("Tier 2 hours.")),
       Row({"t.tier2", "T2", "Article"}, Always, Resolve("T2.").To(v1::Decision::TIER2)),
       Row::Amend({"t.notate", "Notate", "Article"}, Always, to_tier2,
                  Outcome().Step("Notate it."),
                  [](const Rule&, const Call&, v1::Decision* d) {
                    d->set_requires_supervisor_approval(true);
                  })});
  v1::CallFacts call;
  v1::PluginRouteResponse response;
  Apply(table, Call{call}, &response);
  ASSERT_EQ(response.proposals_size(), 2);
  EXPECT_THAT(StepTexts(response.proposals(0).decision()), ElementsAre());
  const v1::Decision& tier2 = response.proposals(1).decision();
  EXPECT_EQ(tier2.summary(), "T2.");
  EXPECT_THAT(StepTexts(tier2), ElementsAre("Notate it."));
  EXPECT_TRUE(tier2.requires_supervisor_approval());
  EXPECT_THAT(RuleIds(tier2), ElementsAre("t.tier2", "t.notate"));
  // t.hours picked nothing (no Tier 2 proposal yet): it did not fire.
  EXPECT_EQ(table.Fired(Call{call}),
            (std::set<std::string>{"t.stay", "t.tier2", "t.notate"}));
}

TEST(RouteTableTest, ARevisingRowFiresWhenItChangesTheProposals) {
  using Row = DecisionRow<Call>;
  const auto withdraw_tier2 = [](const Rule& rule, const Call&,
                                 v1::PluginRouteResponse* r) {
    for (int i = 0; i < r->proposals_size(); ++i) {
      if (r->proposals(i).decision().destination() != v1::Decision::TIER2) continue;
      r->mutable_proposals()->DeleteSubrange(i, 1);
      if (r->proposals_size() == 0) ProposeOutcome(rule, Resolve("Kept."), r);
      return true;
    }
    return false;
  };
  RouteTable<Call> table(
      {Row({"t.tier2", "T2", "Article"}, [](const Call& c) { return c.call.bpo_agent(); },
           Resolve("T2.").To(v1::Decision::TIER2)),
       Row::Revise({"t.withdraw", "Withdraw", "Article"}, Always, withdraw_tier2)});
  v1::CallFacts call;
  call.set_bpo_agent(true);
  v1::PluginRouteResponse response;
  Apply(table, Call{call}, &response);
  ASSERT_EQ(response.proposals_size(), 1);
  EXPECT_EQ(response.proposals(0).decision().summary(), "Kept.");
  EXPECT_EQ(table.Fired(Call{call}), (std::set<std::string>{"t.tier2", "t.withdraw"}));
  call.set_bpo_agent(false);
  EXPECT_EQ(table.Fired(Call{call}), std::set<std::string>{});
}

TEST(AdmitTableTest, AmendsOnlyWhatTheOutcomeSets) {
  AdmitTable<Call> table({{{"t.admit", "Admit", "Article"},
                           [](const Call&) { return true; },
                           Outcome().Mode(v1::LIVE).Step("Place the caller on hold.")}});
  v1::CallFacts call;
  v1::Decision proposal;
  proposal.set_action(v1::TRANSFER);
  proposal.set_summary("kept");
  Apply(table, Call{call}, &proposal);
  EXPECT_EQ(proposal.action(), v1::TRANSFER);
  EXPECT_EQ(proposal.summary(), "kept");
  EXPECT_EQ(proposal.transfer_mode(), v1::LIVE);
  EXPECT_THAT(RuleIds(proposal), ElementsAre("t.admit"));
}

// An admit row that takes another plugin's script out of the proposal: the
// edit is done, and declared in the manifest with the table.
class RemovingPlugin : public Plugin {
 public:
  RemovingPlugin()
      : table_({{{"t.callback", "Call back instead", "Article"},
                 [](const Call&) { return true; },
                 Outcome().Action(v1::SCHEDULE_CALLBACK).Remove("o.disclosure", "disclosure")}}) {
    AdmitsFor(v1::Decision::LEADERSHIP_DESK);
    DeclareTable(table_);
  }
  const AdmitTable<Call>& table() const { return table_; }

 private:
  AdmitTable<Call> table_;
};

TEST(AdmitTableTest, ARemovalTakesOutTheOtherRulesScriptAndIsDeclared) {
  RemovingPlugin plugin;
  ASSERT_TRUE(plugin.load_status().ok()) << plugin.load_status();
  ASSERT_EQ(plugin.manifest().output_edits_size(), 1);
  EXPECT_EQ(plugin.manifest().output_edits(0).rule_id(), "t.callback");
  EXPECT_EQ(plugin.manifest().output_edits(0).removes_rule_id(), "o.disclosure");
  EXPECT_EQ(plugin.manifest().output_edits(0).removes_script_id(), "disclosure");

  v1::Decision proposal;
  proposal.set_action(v1::TRANSFER);
  proposal.add_matched_rules()->set_rule_id("o.transfer");
  proposal.add_matched_rules()->set_rule_id("o.disclosure");
  for (const char* rule : {"o.disclosure", "o.transfer"}) {
    v1::Script* script = proposal.add_scripts();
    script->set_id(rule == std::string("o.transfer") ? "greeting" : "disclosure");
    script->set_rule_id(rule);
  }
  v1::CallFacts call;
  Apply(plugin.table(), Call{call}, &proposal);
  EXPECT_EQ(proposal.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_THAT(RuleIds(proposal), ElementsAre("o.transfer", "t.callback"));
  ASSERT_EQ(proposal.scripts_size(), 1);
  EXPECT_EQ(proposal.scripts(0).id(), "greeting");
}

TEST(AdmitTableTest, ASlotIsFilledInItsPlace) {
  SlotPlugin plugin(true);
  ASSERT_TRUE(plugin.load_status().ok()) << plugin.load_status();
  v1::CallFacts call;
  call.set_site("tampa");
  v1::Decision proposal;
  Apply(plugin.table_, Call{call}, &proposal);
  EXPECT_THAT(StepTexts(proposal), ElementsAre("Hold.", "site: tampa", "Call."));
}

TEST(ValidateTableTest, ChecksWithEveryRowWhoseConditionHolds) {
  ValidateTable<Check> table(
      {{{"t.v", "Check", "Article"},
        [](const Check& c) { return c.task.category().empty(); },
        [](const Rule& rule, const Check&, v1::PluginValidateResponse* r) {
          AddViolation(rule, "category", "Set the category.", v1::ERROR, r);
        }}});
  v1::Task task;
  v1::PluginValidateResponse response;
  Apply(table, Check{task}, &response);
  ASSERT_EQ(response.violations_size(), 1);
  EXPECT_EQ(response.violations(0).rule_id(), "t.v");
}

TEST(FactsTest, AFactIsTrueFalseOrNotKnown) {
  v1::CallFacts call;
  EXPECT_EQ(FactOf(call.has_bpo_agent(), call.bpo_agent()), Known::kUnknown);
  EXPECT_FALSE(IsFalse(call.has_bpo_agent(), call.bpo_agent()));
  call.set_bpo_agent(false);
  EXPECT_EQ(FactOf(call.has_bpo_agent(), call.bpo_agent()), Known::kFalse);
  EXPECT_TRUE(IsFalse(call.has_bpo_agent(), call.bpo_agent()));
  call.set_bpo_agent(true);
  EXPECT_TRUE(IsTrue(call.has_bpo_agent(), call.bpo_agent()));
  EXPECT_EQ(FactOf(std::optional<bool>()), Known::kUnknown);
  EXPECT_EQ(FactOf(std::optional<bool>(true)), Known::kTrue);
}

}  // namespace
}  // namespace escalation::sdk
