// Unit tests of the TS&R routing rules for a request to speak with a
// Supervisor (TSR-1 … TSR-5): for each rule a case where it fires and a close
// case where it must not, and the facts the call does not give that would
// change the route. Expected words are written out here, not taken from
// rules.h, so a change of wording fails.
#include <optional>

#include "rules.h"
#include "route_fixture.h"

namespace escalation::telesales_retention {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace testing_util;  // NOLINT

// TSR-1
TEST_F(TsrTest, SupervisorRequestIsFirstDeEscalated) {
  v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST}));
  EXPECT_EQ(p.priority(), v1::RESOLVE_IN_DEPARTMENT);
  EXPECT_EQ(p.decision().action(), v1::RESOLVE_HERE);
  EXPECT_THAT(StepTexts(p.decision()),
              ElementsAre("Try to resolve the issue with the caller.",
                          "Contact a supervisor for guidance if needed."));
  EXPECT_THAT(RuleIds(p.decision()),
              ElementsAre("tsr.supervisor_request.de_escalate"));
}

TEST_F(TsrTest, FailedDeEscalationIsNotDeEscalatedAgain) {
  v1::Proposal p = Only(NotDeEscalated());
  EXPECT_THAT(RuleIds(p.decision()),
              Not(Contains("tsr.supervisor_request.de_escalate")));
}

// TSR-2
TEST_F(TsrTest, ClaimRelatedSupervisorRequestIsWarmTransferredToCs) {
  for (bool failed : {false, true}) {
    v1::CallFacts call = Call({v1::SUPERVISOR_REQUEST, v1::CLAIM_RELATED_ISSUE});
    call.set_de_escalation_failed(failed);
    v1::Proposal p = Only(call);
    const v1::Decision& d = p.decision();
    EXPECT_EQ(d.action(), v1::TRANSFER);
    EXPECT_EQ(d.destination(), v1::Decision::CUSTOMER_SERVICE);
    EXPECT_EQ(d.transfer_mode(), v1::WARM);
    EXPECT_EQ(p.priority(), v1::RETENTION_TRANSFER);
    EXPECT_THAT(StepTexts(d),
                ElementsAre("Warm transfer the caller to a Customer Service Agent.",
                            "Inform the Customer Service Agent of the request to "
                            "speak to a Supervisor.",
                            "Document the request in the Communication History Log."));
    ASSERT_EQ(d.required_records_size(), 1);
    EXPECT_EQ(d.required_records(0).kind(), v1::COMMUNICATION_HISTORY_ENTRY);
    EXPECT_THAT(RuleIds(d), ElementsAre("tsr.claim_related.warm_transfer_cs"));
  }
}

TEST_F(TsrTest, NotClaimRelatedIsNotTransferredToCs) {
  v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST}));
  EXPECT_NE(p.decision().action(), v1::TRANSFER);
  EXPECT_THAT(RuleIds(p.decision()),
              Not(Contains("tsr.claim_related.warm_transfer_cs")));
}

// TSR-3
TEST_F(TsrTest, AvailableSupervisorTakesOver) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(true);
  call.set_supervisor_could_not_resolve(false);  // Known: no "not known" note.
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SUPERVISOR_TAKEOVER);
  EXPECT_EQ(p.decision().destination(), v1::Decision::DIRECT_SUPERVISOR);
  EXPECT_EQ(p.priority(), v1::LEADERSHIP_DESK_TIER1);
  EXPECT_THAT(StepTexts(p.decision()),
              ElementsAre("A supervisor must take over the call when available."));
  EXPECT_THAT(p.decision().notes(), IsEmpty());
}

TEST_F(TsrTest, UnknownAvailabilityTakesOverWithTheFallbackNoted) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_could_not_resolve(false);  // Known: no "not known" note.
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SUPERVISOR_TAKEOVER);
  EXPECT_EQ(p.decision().destination(), v1::Decision::DIRECT_SUPERVISOR);
  ASSERT_EQ(p.decision().notes_size(), 1);
  EXPECT_THAT(p.decision().notes(0),
              ::testing::HasSubstr("turnaround time for a callback is 48 hours"));
}

TEST_F(TsrTest, NoSupervisorMeansNoTakeover) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(false);
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SCHEDULE_CALLBACK);
  EXPECT_THAT(RuleIds(p.decision()),
              Not(Contains("tsr.not_de_escalated.supervisor_takeover")));
}

// TSR-4
class NoSupervisorTest : public TsrTest {
 protected:
  v1::Decision Decide(std::optional<bool> bpo, absl::Time now = kNow) {
    v1::CallFacts call = NotDeEscalated();
    call.set_supervisor_available(false);
    if (bpo.has_value()) call.set_bpo_agent(*bpo);
    v1::PluginRouteResponse r = Route(call, now);
    EXPECT_EQ(r.proposals_size(), 1);
    return r.proposals(0).decision();
  }
};

TEST_F(NoSupervisorTest, InHouseAgentSubmitsQuickBaseRequest) {
  v1::Decision d = Decide(false);
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_EQ(d.destination(), v1::Decision::DIRECT_SUPERVISOR);
  ASSERT_EQ(d.required_records_size(), 1);
  EXPECT_EQ(d.required_records(0).system(), v1::QUICKBASE);
  EXPECT_EQ(d.required_records(0).kind(), v1::SUPERVISOR_CALLBACK_REQUEST);
  EXPECT_THAT(StepTexts(d),
              ElementsAre("Submit a Supervisor Call Back Follow-Up Request in QuickBase.",
                          "Tell the caller that the turnaround time for a callback "
                          "is 48 hours."));
  EXPECT_THAT(RuleIds(d), ElementsAre("tsr.no_supervisor.quickbase_request",
                                      "tsr.no_supervisor.turnaround_48h"));
  EXPECT_THAT(d.notes(), IsEmpty());
}

TEST_F(NoSupervisorTest, BpoAgentEmailsSupervisorsInstead) {
  v1::Decision d = Decide(true);
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_EQ(d.destination(), v1::Decision::DIRECT_SUPERVISOR);
  EXPECT_THAT(d.required_records(), IsEmpty());
  EXPECT_EQ(StepTexts(d).front(), "Email your supervisors.");
  EXPECT_THAT(RuleIds(d), ElementsAre("tsr.no_supervisor.bpo_email",
                                      "tsr.no_supervisor.turnaround_48h"));
}

TEST_F(NoSupervisorTest, UnknownBpoStatusGetsQuickBaseAndANote) {
  v1::Decision d = Decide(std::nullopt);
  ASSERT_EQ(d.required_records_size(), 1);
  ASSERT_EQ(d.notes_size(), 1);
  EXPECT_THAT(d.notes(0), ::testing::HasSubstr("BPO agents email"));
}

// The article gives a step ("Tell the caller that ..."), not a script.
TEST_F(NoSupervisorTest, TurnaroundIsAStepNotAScript) {
  for (std::optional<bool> bpo : {std::optional<bool>(false),
                                  std::optional<bool>(true),
                                  std::optional<bool>()}) {
    v1::Decision d = Decide(bpo);
    EXPECT_THAT(d.scripts(), IsEmpty());
    EXPECT_EQ(StepTexts(d).back(),
              "Tell the caller that the turnaround time for a callback is 48 "
              "hours.");
  }
}

TEST_F(NoSupervisorTest, CallbackIsDueExactly48HoursAfterEvaluation) {
  v1::Decision d = Decide(false);
  EXPECT_EQ(d.callback().summary(),
            "Supervisor Call Back: the turnaround time for a callback is 48 "
            "hours.");
  EXPECT_EQ(sdk::FromProto(d.callback().anchor()), kNow);
  EXPECT_EQ(sdk::FromProto(d.callback().first_contact_within()), absl::Hours(48));
  EXPECT_EQ(sdk::FromProto(d.callback().first_contact_due()),
            At("2026-11-25T15:00:00Z"));
  EXPECT_EQ(d.callback().rule_id(), "tsr.no_supervisor.turnaround_48h");
  // Elapsed hours across the end of daylight saving (1 November 2026).
  v1::Decision dst = Decide(false, At("2026-10-31T15:00:00Z"));
  EXPECT_EQ(sdk::FromProto(dst.callback().first_contact_due()),
            At("2026-11-02T15:00:00Z"));
}

// TSR-5
TEST_F(TsrTest, SupervisorWhoCannotResolveContactsManagement) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_could_not_resolve(true);
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SUPERVISOR_TAKEOVER);
  EXPECT_EQ(p.decision().destination(), v1::Decision::TSR_MANAGEMENT);
  EXPECT_THAT(StepTexts(p.decision()),
              ElementsAre("Contact the TS&R Management Team for assistance "
                          "through phone, chat, or email."));
}

TEST_F(TsrTest, SupervisorWhoResolvedDoesNotContactManagement) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_could_not_resolve(false);
  call.set_supervisor_available(true);
  v1::Proposal p = Only(call);
  EXPECT_NE(p.decision().destination(), v1::Decision::TSR_MANAGEMENT);
}

// Issue 9: a fact the call does not give that would change the route is named.
TEST_F(TsrTest, UnknownDeEscalationOutcomeIsNamed) {
  v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST}));
  EXPECT_EQ(p.decision().action(), v1::RESOLVE_HERE);
  EXPECT_THAT(p.decision().notes(),
              ElementsAre("not known: call.de_escalation_failed; if the issue "
                          "cannot be de-escalated, then a supervisor must take "
                          "over the call when available "
                          "(tsr.not_de_escalated.supervisor_takeover)."));
  v1::CallFacts tried = Call({v1::SUPERVISOR_REQUEST});
  tried.set_de_escalation_failed(false);
  EXPECT_THAT(Only(tried).decision().notes(), IsEmpty());
}

TEST_F(TsrTest, UnknownSupervisorOutcomeIsNamedOnTheTakeover) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(true);
  v1::Proposal p = Only(call);
  EXPECT_THAT(p.decision().notes(),
              ElementsAre(HasSubstr("not known: call.supervisor_could_not_resolve; "
                                    "if the supervisor cannot resolve the issue, "
                                    "then they must contact the TS&R Management "
                                    "Team")));
}

TEST_F(TsrTest, TheQuickBaseRecordCarriesItsType) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(false);
  call.set_bpo_agent(false);
  const v1::Decision d = Only(call).decision();
  ASSERT_EQ(d.required_records_size(), 1);
  EXPECT_EQ(d.required_records(0).record_type(), kCallbackRequestType);
}

}  // namespace
}  // namespace escalation::telesales_retention
