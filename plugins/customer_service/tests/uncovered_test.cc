// cs.uncovered.reason_or_threat (design reading): a reason or threat of the
// call that no rule of the Customer Service articles handles is named in a
// note, never dropped without a word; no route is invented for it.
#include "gmock/gmock.h"
#include "tests/fixture.h"

namespace escalation::customer_service {
namespace {

constexpr char kRule[] = "cs.uncovered.reason_or_threat";

std::string ReasonNote(const char* name) {
  return std::string(name) +
         ": no rule of the Customer Service articles covers this reason; "
         "follow your site's procedure for it.";
}

bool HasNote(const D& d, const std::string& note) {
  return std::find(d.notes().begin(), d.notes().end(), note) != d.notes().end();
}

// "Handled" is derived from the rule table by probing it. This pins what the
// probe finds, so a rule added or removed shows up here: every reason and
// threat a CS rule reads is handled; the rest are not.
TEST_F(CustomerServiceTest, HandledReasonsAndThreatsAreThoseTheRulesRead) {
  const std::set<v1::Reason> not_handled = {
      v1::CLAIM_RELATED_ISSUE, v1::MEDICAL_EMERGENCY, v1::RISK_TO_PERSON,
      v1::MEDIA_INQUIRY, v1::ATTORNEY_CALL};
  for (int r = v1::Reason_MIN; r <= v1::Reason_MAX; ++r) {
    if (!v1::Reason_IsValid(r) || r == v1::REASON_UNSPECIFIED) continue;
    const auto reason = static_cast<v1::Reason>(r);
    EXPECT_EQ(plugin_.coverage().Handles(reason), not_handled.count(reason) == 0)
        << v1::Reason_Name(reason);
  }
  for (int t = v1::Threat_MIN; t <= v1::Threat_MAX; ++t) {
    if (!v1::Threat_IsValid(t) || t == v1::THREAT_UNSPECIFIED) continue;
    const auto threat = static_cast<v1::Threat>(t);
    EXPECT_EQ(plugin_.coverage().Handles(threat), threat != v1::CANCEL_WARRANTY)
        << v1::Threat_Name(threat);
  }
}

TEST_F(CustomerServiceTest, UncoveredRuleSaysDesignReadingAndCitesTheArticle) {
  bool found = false;
  for (const v1::RuleInfo& r : plugin_.manifest().rules()) {
    if (r.id() != kRule) continue;
    found = true;
    EXPECT_NE(r.title().find("design reading"), std::string::npos);
    EXPECT_EQ(r.source_article(), kEscalationsArticle);
  }
  EXPECT_TRUE(found);
}

TEST_F(CustomerServiceTest, UncoveredReasonAloneKeepsTheCallInCsWithTheNote) {
  auto r = Route(Call({v1::MEDICAL_EMERGENCY}));
  ASSERT_EQ(r.proposals_size(), 1);
  const v1::Proposal& p = r.proposals(0);
  EXPECT_EQ(p.priority(), v1::RESOLVE_IN_DEPARTMENT);
  EXPECT_EQ(p.decision().action(), v1::RESOLVE_HERE);
  EXPECT_EQ(p.decision().destination(), D::CUSTOMER_SERVICE);
  EXPECT_EQ(p.decision().summary(),
            "No rule of the Customer Service articles covers this call's "
            "reasons or threats; see the notes.");
  EXPECT_TRUE(HasNote(p.decision(), ReasonNote("MEDICAL_EMERGENCY")));
  EXPECT_EQ(Rules(r), std::set<std::string>{kRule});
  EXPECT_FALSE(HasScript(p.decision(), "recording_disclosure"));
}

TEST_F(CustomerServiceTest, UncoveredReasonBesideACoveredOneIsNotedOnTheTransfer) {
  auto r = Route(Call({v1::MEDICAL_EMERGENCY, v1::CANCEL_CONTRACT}));
  ASSERT_EQ(r.proposals_size(), 1);
  const D d = To(r, D::RETENTION).decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_TRUE(HasNote(d, ReasonNote("MEDICAL_EMERGENCY")));
  EXPECT_TRUE(Has(r, "cs.retention.cancel"));
  EXPECT_TRUE(Has(r, kRule));
}

TEST_F(CustomerServiceTest, UncoveredNotesGoOnEveryProposalOnceEachInCallOrder) {
  v1::CallFacts call = Call({v1::ATTORNEY_CALL, v1::COVERAGE_QUESTION,
                             v1::ATTORNEY_CALL, v1::RISK_TO_PERSON});
  call.add_threats(v1::CANCEL_WARRANTY);
  call.add_reasons(v1::UNAUTHORIZED_WORK);
  call.set_de_escalation_failed(true);
  auto r = Route(call);
  ASSERT_GE(r.proposals_size(), 2);  // Resolve here; the Leadership Desk.
  for (const v1::Proposal& p : r.proposals()) {
    std::vector<std::string> named;
    for (const std::string& n : p.decision().notes()) {
      if (n.find("no rule of the Customer Service articles") != std::string::npos) {
        named.push_back(n);
      }
    }
    EXPECT_THAT(named,
                ::testing::ElementsAre(
                    ReasonNote("ATTORNEY_CALL"), ReasonNote("RISK_TO_PERSON"),
                    "CANCEL_WARRANTY: no rule of the Customer Service articles "
                    "covers this threat; follow your site's procedure for it."));
  }
}

TEST_F(CustomerServiceTest, UncoveredDoesNotFireWhenEveryReasonIsCovered) {
  for (const v1::CallFacts& call :
       {Call({v1::CANCEL_CONTRACT}), Call({v1::COVERAGE_QUESTION}),
        Call({v1::SUPERVISOR_REQUEST}), Call({v1::EXECUTIVE_REQUEST}), Call({})}) {
    EXPECT_FALSE(Has(Route(call), kRule));
  }
  // A covered reason whose rule needs more facts is not "uncovered": a
  // Tier 1 reason when the supervisors could not resolve it.
  v1::CallFacts c = Call({v1::COVERAGE_DENIAL});
  c.set_supervisor_could_not_resolve(true);
  EXPECT_FALSE(Has(Route(c), kRule));
  EXPECT_TRUE(Route(Call({})).proposals().empty());
}

}  // namespace
}  // namespace escalation::customer_service
