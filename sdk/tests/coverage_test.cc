#include "escalation/sdk/coverage.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::sdk {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A rule table of two rules: "cancel" fires on CANCEL_CONTRACT; "legal"
// fires on a LEGAL_ACTION threat only when a supervisor is available, so its
// threat is found only by the probe that sets that fact.
std::set<std::string> Fired(const v1::CallFacts& call) {
  std::set<std::string> fired;
  for (int r : call.reasons()) {
    if (r == v1::CANCEL_CONTRACT) fired.insert("cancel");
  }
  for (int t : call.threats()) {
    if (t == v1::LEGAL_ACTION && call.supervisor_available()) fired.insert("legal");
  }
  return fired;
}

TEST(ReasonCoverageTest, FindsWhatTheRulesHandleByProbing) {
  const ReasonCoverage coverage = ReasonCoverage::Probe(v1::CUSTOMER_SERVICE, Fired);
  EXPECT_TRUE(coverage.Handles(v1::CANCEL_CONTRACT));
  EXPECT_FALSE(coverage.Handles(v1::MEDICAL_EMERGENCY));
  EXPECT_TRUE(coverage.Handles(v1::LEGAL_ACTION));
  EXPECT_FALSE(coverage.Handles(v1::NEWS_MEDIA));
}

TEST(ReasonCoverageTest, NamesEachUncoveredReasonAndThreatOnceInTheCallsOrder) {
  const ReasonCoverage coverage = ReasonCoverage::Probe(v1::CUSTOMER_SERVICE, Fired);
  v1::CallFacts call;
  call.add_reasons(v1::MEDICAL_EMERGENCY);
  call.add_reasons(v1::CANCEL_CONTRACT);
  call.add_reasons(v1::ATTORNEY_CALL);
  call.add_reasons(v1::MEDICAL_EMERGENCY);
  call.add_threats(v1::NEWS_MEDIA);
  call.add_threats(v1::LEGAL_ACTION);
  EXPECT_THAT(coverage.UncoveredNotes(call, "nothing covers this", "."),
              ElementsAre("MEDICAL_EMERGENCY: nothing covers this reason.",
                          "ATTORNEY_CALL: nothing covers this reason.",
                          "NEWS_MEDIA: nothing covers this threat."));
}

TEST(ReasonCoverageTest, ACallWithOnlyHandledFactsHasNoNote) {
  const ReasonCoverage coverage = ReasonCoverage::Probe(v1::CUSTOMER_SERVICE, Fired);
  v1::CallFacts call;
  call.add_reasons(v1::CANCEL_CONTRACT);
  EXPECT_THAT(coverage.UncoveredNotes(call, "x", "."), IsEmpty());
  EXPECT_FALSE(coverage.AnyUncovered(call));
  call.add_threats(v1::NEWS_MEDIA);
  EXPECT_TRUE(coverage.AnyUncovered(call));
}

TEST(UncoveredNoteTableTest, GivesTheNotesUncoveredNotesWrites) {
  const ReasonCoverage coverage = ReasonCoverage::Probe(v1::CUSTOMER_SERVICE, Fired);
  const UncoveredNoteTable table(coverage, "nothing covers this", ".");
  v1::CallFacts call;
  call.add_reasons(v1::MEDICAL_EMERGENCY);
  call.add_reasons(v1::CANCEL_CONTRACT);
  call.add_reasons(v1::ATTORNEY_CALL);
  call.add_reasons(v1::MEDICAL_EMERGENCY);
  call.add_reasons(static_cast<v1::Reason>(63));  // No such reason: no note.
  call.add_threats(v1::NEWS_MEDIA);
  call.add_threats(v1::LEGAL_ACTION);
  EXPECT_THAT(table.NotesFor(call),
              ElementsAre("MEDICAL_EMERGENCY: nothing covers this reason.",
                          "ATTORNEY_CALL: nothing covers this reason.",
                          "NEWS_MEDIA: nothing covers this threat."));
  EXPECT_TRUE(table.AnyUncovered(call));
  v1::CallFacts handled;
  handled.add_reasons(v1::CANCEL_CONTRACT);
  EXPECT_THAT(table.NotesFor(handled), IsEmpty());
}

}  // namespace
}  // namespace escalation::sdk
