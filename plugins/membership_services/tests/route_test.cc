// Unit tests of the Membership Services routing rules: MS-1 (warm transfer to
// T2) and the Tier 2 hours (design reading). Expected words are written out
// here, not taken from rules.h, so a change of wording fails a test.
#include <algorithm>
#include <optional>
#include <string>

#include "fixture.h"

namespace escalation::membership_services {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace testing_util;  // NOLINT

class RouteTest : public PluginTest {
 protected:
  static v1::CallFacts Call(std::vector<v1::Threat> threats,
                            std::optional<bool> service_job) {
    v1::CallFacts call;
    call.set_department(v1::MEMBERSHIP_SERVICES);
    for (v1::Threat t : threats) call.add_threats(t);
    if (service_job.has_value()) call.set_concerns_service_job(*service_job);
    return call;
  }
  v1::PluginRouteResponse Route(const v1::CallFacts& call, absl::Time now) {
    auto response = sdk::testing::RouteAt(plugin_, call, now);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(v1::PluginRouteResponse());
  }
  // The transfer decision at `now` (local time America/New_York in comments).
  v1::Decision Transfer(const char* now) {
    v1::PluginRouteResponse r =
        Route(Call({v1::CANCEL_WARRANTY}, true), At(now));
    EXPECT_EQ(r.proposals_size(), 1);
    return r.proposals_size() ? r.proposals(0).decision() : v1::Decision();
  }
  // The summary of a transfer while Tier 2 is closed.
  static std::string ClosedUntil(const char* next_opening) {
    return std::string("Tier 2 is closed until ") + next_opening +
           " (America/New_York). Do not transfer the call to T2 now. The "
           "article gives no alternative to the warm transfer to T2.";
  }
};

TEST_F(RouteTest, ManifestDeclaresEveryRuleOnce) {
  const v1::PluginManifest& m = plugin_.manifest();
  EXPECT_THAT(m.routes_for(), ::testing::ElementsAre(v1::MEMBERSHIP_SERVICES));
  EXPECT_THAT(m.validates(), ::testing::ElementsAre(v1::T2_TASK));
  // Rules whose behaviour goes beyond the article's words say so.
  const std::vector<std::string> readings = {
      "ms.t2.warm_transfer",         "ms.t2.hours",
      "ms.t2_task.category",         "ms.t2_task.one_resolution_reason",
      "ms.t2_task.none_removed",     "ms.t2_task.created_after_call",
      "ms.uncovered.reason_or_threat", "ms.t2.service_job_not_known",
      "ms.t2.closed_no_transfer"};
  std::vector<std::string> ids;
  for (const v1::RuleInfo& r : m.rules()) {
    if (std::find(readings.begin(), readings.end(), r.id()) != readings.end()) {
      EXPECT_THAT(r.title(), HasSubstr("design reading")) << r.id();
    }
    EXPECT_EQ(r.id().rfind("ms.", 0), 0u) << r.id();
    EXPECT_THAT(ids, Not(Contains(r.id())));
    ids.push_back(r.id());
    if (r.id() == "ms.t2.hours") {
      EXPECT_EQ(r.source_article(), "Customer Service Escalations");
    } else {
      EXPECT_EQ(r.source_article(), "T2 Live Transfer from Membership Services");
    }
  }
  EXPECT_EQ(ids.size(), 10u);
}

TEST_F(RouteTest, TakesNoConfiguration) {
  MembershipServicesPlugin plugin;
  google::protobuf::Struct config;
  (*config.mutable_fields())["hours"].set_string_value("x");
  EXPECT_FALSE(plugin.Configure(config).ok());
}

// MS-1
TEST_F(RouteTest, CancelThreatOverServiceJobIsWarmTransferredToT2) {
  v1::PluginRouteResponse r =
      Route(Call({v1::CANCEL_WARRANTY}, true), At("2026-11-23T15:00:00Z"));
  ASSERT_EQ(r.proposals_size(), 1);
  EXPECT_EQ(r.proposals(0).priority(), v1::TIER2_SITUATION);
  const v1::Decision& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_EQ(d.destination(), v1::Decision::TIER2);
  EXPECT_EQ(d.transfer_mode(), v1::WARM);
  EXPECT_THAT(d.summary(), HasSubstr("may perform a warm transfer to T2"));
  // The agent's words only: the reading is in the rule's title.
  ASSERT_EQ(d.steps_size(), 1);
  EXPECT_EQ(d.steps(0).text(),
            "Tell the T2 agent that you are with membership services or "
            "retention and have an escalated customer that was threatening to "
            "cancel their warranty.");
  EXPECT_EQ(d.notes_size(), 0);
  ASSERT_EQ(d.required_records_size(), 1);
  const v1::RequiredRecord& task = d.required_records(0);
  EXPECT_EQ(task.system(), v1::ZOHO);
  EXPECT_EQ(task.kind(), v1::T2_TASK);
  EXPECT_EQ(task.fields(0).name(), "Category");
  EXPECT_EQ(task.fields(0).value(), "Membership Services");
  EXPECT_THAT(RuleIdsOf(d.matched_rules()),
              ::testing::ElementsAre("ms.t2.warm_transfer", "ms.t2_task.category",
                                     "ms.t2_task.one_resolution_reason",
                                     "ms.t2_task.none_removed",
                                     "ms.t2_task.created_after_call",
                                     "ms.t2.hours"));
}

TEST_F(RouteTest, NoTransferWithoutBothThreatAndServiceJob) {
  const absl::Time now = At("2026-11-23T15:00:00Z");
  EXPECT_EQ(Route(Call({v1::CANCEL_WARRANTY}, false), now).proposals_size(), 0);
  // Unknown is not "no": the agent keeps the call, told what would change it.
  v1::PluginRouteResponse unknown = Route(Call({v1::CANCEL_WARRANTY}, std::nullopt), now);
  ASSERT_EQ(unknown.proposals_size(), 1);
  const v1::Decision& keep = unknown.proposals(0).decision();
  EXPECT_EQ(keep.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(keep.destination(), v1::Decision::MEMBERSHIP_SERVICES);
  EXPECT_EQ(unknown.proposals(0).priority(), v1::RESOLVE_IN_DEPARTMENT);
  EXPECT_THAT(RuleIds(keep), ::testing::ElementsAre("ms.t2.service_job_not_known"));
  EXPECT_THAT(keep.notes(),
              ::testing::ElementsAre("not known: call.concerns_service_job; if the threat "
                          "to cancel is regarding a service job, then you may "
                          "warm-transfer the customer to T2 (ms.t2.warm_transfer)."));
  // No transfer; the threat no rule covers is named (ms.uncovered...).
  v1::PluginRouteResponse bbb = Route(Call({v1::BBB_COMPLAINT}, true), now);
  ASSERT_EQ(bbb.proposals_size(), 1);
  EXPECT_EQ(bbb.proposals(0).decision().action(), v1::RESOLVE_HERE);
  EXPECT_THAT(RuleIds(bbb.proposals(0).decision()),
              ::testing::ElementsAre("ms.uncovered.reason_or_threat"));
  EXPECT_EQ(Route(Call({}, true), now).proposals_size(), 0);
}

TEST_F(RouteTest, RouteRequiresEvaluationTime) {
  v1::PluginRouteRequest request;
  *request.mutable_call() = Call({v1::CANCEL_WARRANTY}, true);
  v1::PluginRouteResponse response;
  EXPECT_FALSE(plugin_.Route(request, &response).ok());
}

// Tier 2 hours (design reading)
TEST_F(RouteTest, Tier2OpenOnAWeekdayMorning) {
  v1::Decision d = Transfer("2026-11-23T13:00:00Z");  // Mon 08:00 EST
  EXPECT_TRUE(d.destination_hours().open_now());
  EXPECT_FALSE(d.destination_hours().has_next_opening());
  EXPECT_EQ(d.destination_hours().time_zone(), "America/New_York");
  EXPECT_EQ(d.destination_hours().rule_id(), "ms.t2.hours");
  EXPECT_EQ(d.notes_size(), 0);
}

TEST_F(RouteTest, Tier2WeekdayClosesAt9pm) {
  EXPECT_TRUE(Transfer("2026-11-24T01:59:00Z").destination_hours().open_now());  // Mon 20:59
  v1::Decision d = Transfer("2026-11-24T02:00:00Z");  // Mon 21:00 EST
  EXPECT_FALSE(d.destination_hours().open_now());
  EXPECT_EQ(sdk::FromProto(d.destination_hours().next_opening()),
            At("2026-11-24T13:00:00Z"));  // Tue 08:00 EST
  EXPECT_EQ(d.summary(), ClosedUntil("Tuesday 2026-11-24 08:00 EST"));
}

// Closed: no transfer to a closed team is instructed; the agent is told it is
// closed, when it opens, and that the article gives no alternative.
TEST_F(RouteTest, Tier2SaturdayClosesAt430pmUntilMonday) {
  v1::Decision open = Transfer("2026-11-28T21:29:00Z");  // Sat 16:29 EST
  EXPECT_TRUE(open.destination_hours().open_now());
  EXPECT_THAT(open.summary(), HasSubstr("may perform a warm transfer to T2"));
  v1::Decision d = Transfer("2026-11-28T21:30:00Z");  // Sat 16:30 EST
  EXPECT_FALSE(d.destination_hours().open_now());
  EXPECT_EQ(sdk::FromProto(d.destination_hours().next_opening()),
            At("2026-11-30T13:00:00Z"));  // Mon 08:00 EST, Sunday closed
  EXPECT_EQ(d.summary(), ClosedUntil("Monday 2026-11-30 08:00 EST"));
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.destination(), v1::Decision::MEMBERSHIP_SERVICES);
  EXPECT_EQ(d.transfer_mode(), v1::TRANSFER_MODE_UNSPECIFIED);
  EXPECT_EQ(d.steps_size(), 0);             // Nothing to do towards T2 now.
  EXPECT_EQ(d.required_records_size(), 0);  // No T2 task: no transfer.
  EXPECT_THAT(RuleIds(d), ::testing::ElementsAre("ms.t2.closed_no_transfer",
                                                 "ms.t2.hours"));
}

TEST_F(RouteTest, Tier2ClosedAllSunday) {
  for (const char* now : {"2026-11-29T05:00:00Z",     // Sun 00:00 EST
                          "2026-11-29T17:00:00Z",     // Sun 12:00 EST
                          "2026-11-30T04:59:00Z"}) {  // Sun 23:59 EST
    v1::Decision d = Transfer(now);
    EXPECT_FALSE(d.destination_hours().open_now()) << now;
    EXPECT_EQ(sdk::FromProto(d.destination_hours().next_opening()),
              At("2026-11-30T13:00:00Z"))
        << now;
    EXPECT_EQ(d.summary(), ClosedUntil("Monday 2026-11-30 08:00 EST")) << now;
    EXPECT_EQ(d.action(), v1::RESOLVE_HERE) << now;
  }
}

TEST_F(RouteTest, Tier2OpensAt8amEasternAfterDaylightSavingStarts) {
  // Sunday 14 March 2027 clocks go forward: Monday 08:00 EDT is 12:00Z.
  v1::Decision d = Transfer("2027-03-15T11:59:00Z");
  EXPECT_FALSE(d.destination_hours().open_now());
  EXPECT_EQ(d.summary(), ClosedUntil("Monday 2027-03-15 08:00 EDT"));
  EXPECT_TRUE(Transfer("2027-03-15T12:00:00Z").destination_hours().open_now());
}

TEST_F(RouteTest, Tier2OpensAt8amEasternAfterDaylightSavingEnds) {
  // Sunday 1 November 2026 clocks go back: Monday 08:00 EST is 13:00Z, and
  // 12:00Z (08:00 had daylight saving continued) is still closed.
  for (const char* now : {"2026-11-02T12:00:00Z", "2026-11-02T12:59:00Z"}) {
    v1::Decision d = Transfer(now);
    EXPECT_FALSE(d.destination_hours().open_now()) << now;
    EXPECT_EQ(sdk::FromProto(d.destination_hours().next_opening()),
              At("2026-11-02T13:00:00Z"))
        << now;
    EXPECT_EQ(d.summary(), ClosedUntil("Monday 2026-11-02 08:00 EST")) << now;
  }
  EXPECT_TRUE(Transfer("2026-11-02T13:00:00Z").destination_hours().open_now());
}

// ---- ms.uncovered.reason_or_threat (design reading) ----

std::string Note(const char* name, const char* kind) {
  return std::string(name) +
         ": no rule of the Membership Services article covers this " + kind +
         "; follow your site's procedure for it.";
}

// "Handled" is derived by probing the routing code; this pins the result, so
// a routing rule added or removed shows up here.
TEST_F(RouteTest, OnlyTheCancelWarrantyThreatIsHandled) {
  for (int r = v1::Reason_MIN; r <= v1::Reason_MAX; ++r) {
    if (!v1::Reason_IsValid(r) || r == v1::REASON_UNSPECIFIED) continue;
    EXPECT_FALSE(plugin_.Handles(static_cast<v1::Reason>(r)))
        << v1::Reason_Name(static_cast<v1::Reason>(r));
  }
  for (int t = v1::Threat_MIN; t <= v1::Threat_MAX; ++t) {
    if (!v1::Threat_IsValid(t) || t == v1::THREAT_UNSPECIFIED) continue;
    EXPECT_EQ(plugin_.Handles(static_cast<v1::Threat>(t)), t == v1::CANCEL_WARRANTY)
        << v1::Threat_Name(static_cast<v1::Threat>(t));
  }
}

TEST_F(RouteTest, UncoveredReasonAloneStaysInMembershipWithTheNote) {
  v1::CallFacts call = Call({}, std::nullopt);
  call.add_reasons(v1::MEDICAL_EMERGENCY);
  v1::PluginRouteResponse r = Route(call, At("2026-11-23T15:00:00Z"));
  ASSERT_EQ(r.proposals_size(), 1);
  EXPECT_EQ(r.proposals(0).priority(), v1::RESOLVE_IN_DEPARTMENT);
  const v1::Decision& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.destination(), v1::Decision::MEMBERSHIP_SERVICES);
  EXPECT_EQ(d.summary(),
            "No rule of the Membership Services article covers this call's "
            "reasons or threats; see the notes.");
  EXPECT_THAT(d.notes(),
              ::testing::ElementsAre(Note("MEDICAL_EMERGENCY", "reason")));
  EXPECT_THAT(RuleIds(d), ::testing::ElementsAre("ms.uncovered.reason_or_threat"));
}

TEST_F(RouteTest, UncoveredReasonBesideTheTransferIsNotedOnItOnce) {
  v1::CallFacts call = Call({v1::CANCEL_WARRANTY, v1::NEWS_MEDIA}, true);
  call.add_reasons(v1::ATTORNEY_CALL);
  call.add_reasons(v1::ATTORNEY_CALL);
  v1::PluginRouteResponse r = Route(call, At("2026-11-23T15:00:00Z"));
  ASSERT_EQ(r.proposals_size(), 1);
  const v1::Decision& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_EQ(d.destination(), v1::Decision::TIER2);
  EXPECT_THAT(d.notes(), ::testing::ElementsAre(
                             Note("ATTORNEY_CALL", "reason"),
                             Note("NEWS_MEDIA", "threat")));
  EXPECT_THAT(RuleIds(d), Contains("ms.uncovered.reason_or_threat"));
}

TEST_F(RouteTest, UncoveredDoesNotFireWhenEverythingIsCovered) {
  const absl::Time now = At("2026-11-23T15:00:00Z");
  for (std::optional<bool> job : {std::optional<bool>(true),
                                  std::optional<bool>(false),
                                  std::optional<bool>()}) {
    v1::PluginRouteResponse r = Route(Call({v1::CANCEL_WARRANTY}, job), now);
    for (const v1::Proposal& p : r.proposals()) {
      EXPECT_THAT(RuleIds(p.decision()),
                  Not(Contains("ms.uncovered.reason_or_threat")));
    }
  }
  EXPECT_EQ(Route(Call({v1::CANCEL_WARRANTY}, false), now).proposals_size(), 0);
}

}  // namespace
}  // namespace escalation::membership_services
