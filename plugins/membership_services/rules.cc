#include "rules.h"

namespace escalation::membership_services {

const sdk::Rule kWarmTransferToT2{
    "ms.t2.warm_transfer",
    "Membership/Retention may warm-transfer to T2 a customer threatening to "
    "cancel their warranty regarding a service job (the article calls the "
    "transfer both warm and live)",
    kArticle};
const sdk::Rule kTier2Hours{
    "ms.t2.hours",
    "Tier 2 Hours of Operation (Mon-Fri 8:00AM-9:00PM, Sat 8:00AM-4:30PM "
    "EST, America/New_York) apply to a Membership transfer to T2 (design "
    "reading: the Membership article states no hours)",
    kCsArticle};
const sdk::Rule kCategory{
    "ms.t2_task.category",
    "A T2 task for a transfer from Membership Services or Retention has "
    "Category \"Membership Services\"",
    kArticle};
const sdk::Rule kOneReason{
    "ms.t2_task.one_resolution_reason",
    "\"Resolution Reason \u2013 Multiselect\" holds only ONE reason",
    kArticle};
const sdk::Rule kNoneRemoved{
    "ms.t2_task.none_removed",
    "\"Resolution Reason \u2013 Multiselect\" never holds \"None\"",
    kArticle};
const sdk::Rule kRetentionFinding{
    "ms.t2_task.retention_finding",
    "\"Created T3 for Follow Up\" and \"Sent to Membership to Cancel\" mark "
    "escalations T2 could not resolve; any other reason means the customer no "
    "longer needed to cancel",
    kArticle};
const sdk::Rule kCreatedAfterCall{
    "ms.t2_task.created_after_call",
    "A T2 task is created AFTER the call, never before it ended (Tier 2 Task "
    "Creation, as quoted in Related Articles; design reading: a missing time "
    "is a warning naming the field)",
    kArticle};

const std::vector<const sdk::Rule*>& AllRules() {
  static const auto* rules = new std::vector<const sdk::Rule*>{
      &kWarmTransferToT2, &kTier2Hours,        &kCategory,        &kOneReason,
      &kNoneRemoved,      &kRetentionFinding, &kCreatedAfterCall};
  return *rules;
}

absl::StatusOr<sdk::WeeklyHours> Tier2Hours() {
  constexpr int k8am = 8 * 60, k9pm = 21 * 60, k430pm = 16 * 60 + 30;
  return sdk::WeeklyHours::Create(
      "America/New_York", {{absl::Weekday::monday, k8am, k9pm},
                           {absl::Weekday::tuesday, k8am, k9pm},
                           {absl::Weekday::wednesday, k8am, k9pm},
                           {absl::Weekday::thursday, k8am, k9pm},
                           {absl::Weekday::friday, k8am, k9pm},
                           {absl::Weekday::saturday, k8am, k430pm}});
}

const std::vector<UnresolvedReason>& UnresolvedReasons() {
  static const auto* reasons = new std::vector<UnresolvedReason>{
      {"Created T3 for Follow Up",
       "the T2 agent needed to create a T3 task to raise the escalation"},
      {"Sent to Membership to Cancel",
       "T2 could not resolve the customer's complaint and there was still a "
       "need to transfer the customer to or back to membership to cancel"},
  };
  return *reasons;
}

}  // namespace escalation::membership_services
