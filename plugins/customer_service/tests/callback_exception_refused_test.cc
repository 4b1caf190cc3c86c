// CS-7 with the Call Back exception permission refused: no proposal of the
// answer schedules a Call Back, steps or records the exception, or promises a
// contact; what is left is the rest of the answer, or the agent keeps the call.
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "tests/fixture.h"

namespace escalation::customer_service {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// A Sunday, 12:00 Eastern: Tier 2 is closed.
const absl::Time kSunday = Eastern(2026, 11, 22, 12, 0);
constexpr char kRefusedNote[] =
    "The supervisor did not give permission to enter a Call Back exception: "
    "do not enter one.";

v1::CallFacts Refused(v1::CallFacts call) {
  call.add_supervisor_permissions_refused(v1::PERMISSION_CALL_BACK_EXCEPTION);
  return call;
}

// Nothing in any proposal of `r` acts on a Call Back exception.
void ExpectNoCallBackException(const v1::PluginRouteResponse& r) {
  for (const v1::Proposal& p : r.proposals()) {
    const D& d = p.decision();
    SCOPED_TRACE(d.DebugString());
    EXPECT_NE(d.action(), v1::SCHEDULE_CALLBACK);
    EXPECT_FALSE(d.has_callback());
    for (const v1::RequiredRecord& rec : d.required_records()) {
      EXPECT_NE(rec.kind(), v1::CALL_BACK_EXCEPTION);
    }
    for (const v1::Step& s : d.steps()) {
      EXPECT_FALSE(absl::StrContains(s.text(), "CallBack") ||
                   absl::StrContains(s.text(), "Call Back"))
          << s.text();
    }
    for (const v1::SupervisorPermission& sp : d.supervisor_permissions()) {
      EXPECT_NE(sp.permission(), v1::PERMISSION_CALL_BACK_EXCEPTION);
    }
    for (const v1::MatchedRule& m : d.matched_rules()) {
      EXPECT_NE(m.rule_id(), "cs.callback_exception.supervisors_unable");
      EXPECT_NE(m.rule_id(), "cs.callback_exception.tier2_closed");
      EXPECT_NE(m.rule_id(), "cs.callback_exception.servicebench_fields");
    }
  }
}

TEST_F(CustomerServiceTest, SupervisorsUnableAndRefusedKeepsTheCall) {
  v1::CallFacts call = Call({v1::CLAIM_CREDIT_DISPUTE});
  call.set_supervisor_could_not_resolve(true);
  const v1::PluginRouteResponse r = Route(Refused(call));
  ExpectNoCallBackException(r);
  ASSERT_EQ(r.proposals_size(), 1) << r.DebugString();
  const D& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.destination(), D::CUSTOMER_SERVICE);
  EXPECT_FALSE(d.requires_supervisor_approval());
  EXPECT_EQ(d.steps_size(), 0);
  EXPECT_EQ(d.required_records_size(), 0);  // No final comments either.
  EXPECT_EQ(d.summary(),
            "The supervisors are unable to assist and did not give permission "
            "to enter a Call Back exception: do not enter one; keep the call.");
  EXPECT_THAT(sdk::testing::RuleIds(d),
              Contains("cs.callback_exception.refused"));
  // No Leadership Desk transfer or de-escalation: the supervisors were unable.
  EXPECT_FALSE(Has(r, "cs.leadership_desk.claim_credit_dispute"));
}

TEST_F(CustomerServiceTest, Tier2ClosedAndRefusedKeepsTheCallWithTheHours) {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  call.add_threats(v1::LEGAL_ACTION);
  const v1::PluginRouteResponse r = Route(Refused(call), kSunday);
  ExpectNoCallBackException(r);
  ASSERT_EQ(r.proposals_size(), 1) << r.DebugString();
  const D& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.destination(), D::CUSTOMER_SERVICE);
  EXPECT_EQ(d.required_records_size(), 0);
  EXPECT_EQ(d.scripts_size(), 0);  // No transfer, no recording disclosure.
  EXPECT_EQ(d.summary(),
            "Tier 2 is closed, and the supervisor did not give permission to "
            "enter a Call Back exception: do not enter one; keep the call.");
  // When Tier 2 next opens is still said.
  EXPECT_EQ(d.destination_hours().destination(), D::TIER2);
  EXPECT_FALSE(d.destination_hours().open_now());
  EXPECT_TRUE(d.destination_hours().has_next_opening());
  EXPECT_THAT(d.notes(), Contains(HasSubstr("Tier 2 is closed; it next opens")));
  EXPECT_THAT(sdk::testing::RuleIds(d),
              Contains("cs.tier2.legal_or_media_threat"));
  EXPECT_THAT(sdk::testing::RuleIds(d), Contains("cs.tier2.hours"));
}

TEST_F(CustomerServiceTest, RefusedLeavesTheTier2TransferWhenOpenAndPermitted) {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  call.add_threats(v1::LEGAL_ACTION);
  call.set_supervisor_could_not_resolve(true);
  call.add_supervisor_permissions_given(v1::PERMISSION_TIER2_CONTACT);
  const v1::PluginRouteResponse r = Route(Refused(call));
  ExpectNoCallBackException(r);
  ASSERT_EQ(r.proposals_size(), 1) << r.DebugString();
  const D& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_EQ(d.destination(), D::TIER2);
  EXPECT_TRUE(d.supervisor_permissions(0).given());
  EXPECT_THAT(d.notes(), Contains(kRefusedNote));
}

TEST_F(CustomerServiceTest, RefusedLeavesEveryOtherProposal) {
  v1::CallFacts call = Call({v1::CLAIM_CREDIT_DISPUTE, v1::CANCEL_CONTRACT});
  call.set_supervisor_could_not_resolve(true);
  const v1::PluginRouteResponse r = Route(Refused(call));
  ExpectNoCallBackException(r);
  ASSERT_EQ(r.proposals_size(), 1) << r.DebugString();
  EXPECT_EQ(r.proposals(0).decision().destination(), D::RETENTION);
  EXPECT_THAT(r.proposals(0).decision().notes(), Contains(kRefusedNote));
}

TEST_F(CustomerServiceTest, RefusedIsNotOfferedAgainInTheNotKnownNote) {
  v1::CallFacts call = Call({v1::COVERAGE_DENIAL});
  call.set_site("tampa");
  call.set_de_escalation_failed(true);
  const v1::PluginRouteResponse r = Route(Refused(call));
  ExpectNoCallBackException(r);
  const D desk = To(r, D::LEADERSHIP_DESK).decision();
  EXPECT_THAT(desk.notes(), Not(Contains(HasSubstr("CallBack exception"))));
}

}  // namespace
}  // namespace escalation::customer_service
