// Tier 1 assistance (the supervisor to reach out to, the BPO Supervisor) and
// the Call Back exception (CS-7) filled in as the "Leadership Desk" article
// says, alone and next to a Leadership Desk transfer.
#include "tests/fixture.h"

namespace escalation::customer_service {
namespace {

using sdk::testing::StepTexts;

constexpr char kBpoNote[] =
    "Escalated Situation: Tier 1/BPO Supervisor. As a BPO agent, your BPO "
    "Supervisor handles these Tier 1 situations as well.";

// ---- "Always reach out ... for Tier 1 assistance", "Tier 1/BPO Supervisor" ----

TEST_F(CustomerServiceTest, BpoAgentIsToldTheBpoSupervisorHandlesTier1) {
  v1::CallFacts call = Call({v1::REPLACEMENT_DISPUTE});
  call.set_site("tampa");
  call.set_de_escalation_failed(true);
  call.set_bpo_agent(true);
  call.set_supervisor_could_not_resolve(false);  // Known: no "not known" note.
  auto r = Route(call);
  EXPECT_TRUE(Has(r, "cs.tier1.bpo_supervisor"));
  const D desk = To(r, D::LEADERSHIP_DESK).decision();
  ASSERT_EQ(desk.notes_size(), 1);
  EXPECT_EQ(desk.notes(0), kBpoNote);
  call.set_de_escalation_failed(false);  // Still de-escalating: same note.
  EXPECT_EQ(To(Route(call), D::CUSTOMER_SERVICE).decision().notes(1), kBpoNote);

  call.set_bpo_agent(false);  // In-house agent: no note.
  EXPECT_FALSE(Has(Route(call), "cs.tier1.bpo_supervisor"));
  call.clear_bpo_agent();
  EXPECT_FALSE(Has(Route(call), "cs.tier1.bpo_supervisor"));
  // A BPO agent without a Tier 1 situation: no note.
  v1::CallFacts cancel = Call({v1::CANCEL_CONTRACT});
  cancel.set_bpo_agent(true);
  EXPECT_FALSE(Has(Route(cancel), "cs.tier1.bpo_supervisor"));
  EXPECT_FALSE(Has(Route(cancel), "cs.tier1.reach_out_to_supervisor"));
}

TEST_F(CustomerServiceTest, SupervisorsUnableNeedNoReachOutStep) {
  v1::CallFacts call = Call({v1::CINCH_SERVICE_DELAY});
  call.set_de_escalation_failed(true);
  call.set_supervisor_could_not_resolve(true);
  call.set_bpo_agent(true);
  auto r = Route(call);
  EXPECT_FALSE(Has(r, "cs.tier1.reach_out_to_supervisor"));
  EXPECT_FALSE(Has(r, "cs.tier1.bpo_supervisor"));
}

// ---- CS-7 with the Leadership Desk article's ServiceBench procedure ----

TEST_F(CustomerServiceTest, CallBackExceptionListsTheLeadershipDeskFields) {
  v1::CallFacts call = Call({v1::CINCH_SERVICE_DELAY});
  call.set_de_escalation_failed(true);
  call.set_supervisor_could_not_resolve(true);
  auto r = Route(call);
  EXPECT_TRUE(Has(r, "cs.callback_exception.servicebench_fields"));
  const D& d = r.proposals(0).decision();
  EXPECT_EQ(StepTexts(d),
            (std::vector<std::string>{
                "If the supervisors are unable to assist, they may give you "
                "permission to enter a CallBack exception.",
                "Once call has ended, create the Call Back Exception in "
                "ServiceBench.",
                "Click the Exceptions tab in ServiceBench.",
                "Under Exception Type, select Call Back.",
                "Under Exception Status, select Open.",
                "Enter the appropriate comment based on the reason using the "
                "approved Exception Comments.",
                "You must notate this information in your final comments in "
                "the Service Request."}));
  ASSERT_EQ(d.required_records_size(), 2);
  const v1::RequiredRecord& e = d.required_records(0);
  EXPECT_EQ(e.kind(), v1::CALL_BACK_EXCEPTION);
  EXPECT_EQ(e.system(), v1::SERVICEBENCH);
  EXPECT_EQ(e.rule_id(), "cs.callback_exception.servicebench_fields");
  ASSERT_EQ(e.fields_size(), 3);
  EXPECT_EQ(e.fields(0).name(), "Exception Type");
  EXPECT_EQ(e.fields(0).value(), "Call Back");
  EXPECT_EQ(e.fields(1).name(), "Exception Status");
  EXPECT_EQ(e.fields(1).value(), "Open");
  EXPECT_EQ(e.fields(2).name(), "Comment");
  EXPECT_NE(e.fields(2).description().find("approved Exception Comments"),
            std::string::npos);
  for (const v1::MatchedRule& m : d.matched_rules()) {
    if (m.rule_id() != "cs.callback_exception.servicebench_fields") continue;
    EXPECT_EQ(m.source_article(), kLeadershipDeskArticle);
    EXPECT_NE(m.title().find("design reading"), std::string::npos);
  }
  // No Call Back exception, no ServiceBench procedure.
  call.set_supervisor_could_not_resolve(false);
  EXPECT_FALSE(Has(Route(call), "cs.callback_exception.servicebench_fields"));
}

TEST_F(CustomerServiceTest, Tier2ClosedNextToALeadershipDeskTransfer) {
  v1::CallFacts call = Call({v1::EXECUTIVE_REQUEST, v1::CINCH_SERVICE_DELAY});
  call.set_site("tampa");
  call.set_de_escalation_failed(true);
  auto r = Route(call, Eastern(2026, 11, 22, 12, 0));  // Sunday: closed.
  ASSERT_EQ(r.proposals_size(), 2);
  const v1::Proposal tier2 = To(r, D::TIER2);
  EXPECT_EQ(tier2.priority(), v1::TIER2_SITUATION);
  EXPECT_EQ(tier2.decision().action(), v1::SCHEDULE_CALLBACK);
  EXPECT_TRUE(HasRecord(tier2.decision(), v1::CALL_BACK_EXCEPTION));
  EXPECT_TRUE(HasRecord(tier2.decision(), v1::SERVICE_REQUEST_COMMENT));
  EXPECT_FALSE(HasScript(tier2.decision(), "recording_disclosure"));
  // The desk's transfer is untouched by the Tier 2 hours.
  const v1::Proposal desk = To(r, D::LEADERSHIP_DESK);
  EXPECT_EQ(desk.priority(), v1::LEADERSHIP_DESK_TIER1);
  EXPECT_EQ(desk.decision().action(), v1::TRANSFER);
  EXPECT_EQ(desk.decision().transfer_mode(), v1::LIVE);
  EXPECT_TRUE(HasScript(desk.decision(), "recording_disclosure"));
  EXPECT_FALSE(HasRecord(desk.decision(), v1::CALL_BACK_EXCEPTION));
  EXPECT_FALSE(HasRecord(desk.decision(), v1::SERVICE_REQUEST_COMMENT));
  EXPECT_FALSE(desk.decision().has_destination_hours());
  // Monday 10:00: Tier 2 open, both are transfers with the disclosure.
  auto open = Route(call);
  EXPECT_EQ(To(open, D::TIER2).decision().action(), v1::TRANSFER);
  EXPECT_FALSE(Has(open, "cs.callback_exception.servicebench_fields"));
  EXPECT_TRUE(HasScript(To(open, D::LEADERSHIP_DESK).decision(),
                        "recording_disclosure"));
}

}  // namespace
}  // namespace escalation::customer_service
