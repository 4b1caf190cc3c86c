// The routing rules of "T2 Live Transfer from Membership Services" as a route
// table (escalation/sdk/rule_table.h): each row a declared rule of rules.h,
// the article's condition on the call, the outcome it decides, and what
// depends on the call (the Tier 2 hours at the evaluation instant).
#include <string>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::membership_services {
namespace {

bool CancelThreat(const Call& c) { return sdk::HasThreat(c.call, v1::CANCEL_WARRANTY); }
bool MayWarmTransfer(const Call& c) {
  return CancelThreat(c) &&
         sdk::IsTrue(c.call.has_concerns_service_job(), c.call.concerns_service_job());
}
bool Tier2Open(const Call& c) {
  return c.hours == nullptr || c.tier2.IsOpen(*c.hours, c.now);
}

// The Tier 2 hours, with the next opening when Tier 2 is closed.
void AddTier2Hours(const Call& c, v1::Decision* d) {
  if (c.hours == nullptr) return;
  v1::DestinationHours* out = d->mutable_destination_hours();
  out->set_destination(v1::Decision::TIER2);
  out->set_open_now(Tier2Open(c));
  out->set_time_zone(c.hours->zone_name());
  out->set_schedule(std::string(words::kTier2Schedule));
  out->set_rule_id(kTier2Hours.id);
  sdk::Cite(kTier2Hours, d);
  if (out->open_now()) return;
  *out->mutable_next_opening() = sdk::ToProto(c.hours->NextOpening(c.now));
}

// "Tier 2 is closed until <next opening> (<zone>). Do not transfer ..."
void SayTier2Closed(const sdk::Rule&, const Call& c, v1::Decision* d) {
  d->set_summary(absl::StrCat(
      "Tier 2 is closed until ",
      absl::FormatTime("%A %Y-%m-%d %H:%M %Z", c.hours->NextOpening(c.now),
                       c.hours->zone()),
      " (", c.hours->zone_name(), "). Do not transfer the call to T2 now. ",
      words::kNoAlternative));
  AddTier2Hours(c, d);
}

}  // namespace

sdk::RouteTable<Call> RouteRules() {
  sdk::RouteTable<Call> table({
      // Unknown is not "regarding a service job", nor "not regarding" one:
      // the agent keeps the call and is told what would change it.
      {kServiceJobNotKnown,
       [](const Call& c) { return CancelThreat(c) && !c.call.has_concerns_service_job(); },
       sdk::Outcome()
           .Priority(v1::RESOLVE_IN_DEPARTMENT)
           .Action(v1::RESOLVE_HERE)
           .To(v1::Decision::MEMBERSHIP_SERVICES)
           .Summary(std::string(words::kServiceJobNotKnown))
           .Note(sdk::NotKnownText("call.concerns_service_job",
                                   "the threat to cancel is regarding a service job",
                                   "you may warm-transfer the customer to T2 "
                                   "(ms.t2.warm_transfer)"))},
      // MS-1, while Tier 2 is open.
      {kWarmTransferToT2,
       [](const Call& c) { return MayWarmTransfer(c) && Tier2Open(c); },
       sdk::Outcome()
           .Priority(v1::TIER2_SITUATION)
           .Action(v1::TRANSFER)
           .To(v1::Decision::TIER2)
           .Mode(v1::WARM)
           .Summary(std::string(words::kMayWarmTransfer))
           .Step(std::string(words::kStateOrigin))
           .Record(kT2TaskType, "by the T2 agent, AFTER the call", kCategory)
           .Cite(kOneReason)
           .Cite(kNoneRemoved)
           .Cite(kCreatedAfterCall),
       [](const sdk::Rule&, const Call& c, v1::Decision* d) { AddTier2Hours(c, d); }},
      // A handoff that cannot happen now is not instructed: the agent keeps
      // the call, told when Tier 2 opens. No fallback is invented.
      {kTier2Closed,
       [](const Call& c) { return MayWarmTransfer(c) && !Tier2Open(c); },
       sdk::Outcome()
           .Priority(v1::RESOLVE_IN_DEPARTMENT)
           .Action(v1::RESOLVE_HERE)
           .To(v1::Decision::MEMBERSHIP_SERVICES)
           .Note(std::string(words::kMayWarmTransfer)),
       SayTier2Closed},
  });
  table.NameUncovered({kUncovered, v1::MEMBERSHIP_SERVICES,
                       v1::Decision::MEMBERSHIP_SERVICES,
                       std::string(words::kNothingCovered),
                       std::string(words::kNoRuleCovers),
                       std::string(words::kFollowSiteProcedure)},
                      [](const v1::CallFacts& call) {
                        return Call{call, nullptr, absl::UnixEpoch()};
                      });
  return table;
}

}  // namespace escalation::membership_services
