#include "rules.h"

#include <string>

#include "escalation/sdk/records.h"

namespace escalation::membership_services {

const sdk::Rule kWarmTransferToT2{
    "ms.t2.warm_transfer",
    "Membership/Retention may warm-transfer to T2 a customer threatening to "
    "cancel their warranty regarding a service job, while Tier 2 is open "
    "(design reading: the article calls the transfer both warm and live, "
    "reported as WARM; an unknown concerns_service_job is not \"regarding a "
    "service job\"; the "
    "step of telling the T2 agent you are with membership services or "
    "retention is read from the receiving agent's text \"If you receive a "
    "live transfer from an agent stating they are with membership services or "
    "retention ...\")",
    kArticle};
const sdk::Rule kTier2Hours{
    "ms.t2.hours",
    "Tier 2 Hours of Operation (Mon-Fri 8:00AM-9:00PM, Sat 8:00AM-4:30PM "
    "EST) apply to a Membership transfer to T2 (design reading: the "
    "Membership article states no hours; EST is US Eastern time with daylight "
    "saving, America/New_York; an interval includes its start and excludes "
    "its end; closed Sunday; no holidays; when closed the summary says so "
    "and gives the next opening, no fallback is invented)",
    kCsArticle};
const sdk::Rule kTier2Closed{
    "ms.t2.closed_no_transfer",
    "Tier 2 closed: no transfer to T2 is instructed; the agent is told that "
    "Tier 2 is closed, when it next opens, and that the article gives no "
    "alternative (design reading: a handoff that cannot happen now is never "
    "instructed, and no fallback is invented)",
    kArticle};
const sdk::Rule kCategory{
    "ms.t2_task.category",
    "A T2 task for a transfer from Membership Services or Retention has "
    "Category \"Membership Services\" (design reading: such a transfer is "
    "known by the task's origin department)",
    kArticle};
const sdk::Rule kOneReason{
    "ms.t2_task.one_resolution_reason",
    "\"Resolution Reason \u2013 Multiselect\" holds only ONE reason (design "
    "reading: on every T2 task of a Membership transfer, known by origin or "
    "Category; exactly one, so none is also refused; names compare ignoring "
    "case and surrounding spaces)",
    kArticle};
const sdk::Rule kNoneRemoved{
    "ms.t2_task.none_removed",
    "\"Resolution Reason \u2013 Multiselect\" never holds \"None\" (design "
    "reading: on every T2 task of a Membership transfer, known by origin or "
    "Category)",
    kArticle};
const sdk::Rule kRetentionFinding{
    "ms.t2_task.retention_finding",
    "The single resolution reason says what became of the customer: \"Sent "
    "to Membership to Cancel\" - not retained, still needed to cancel; "
    "\"Created T3 for Follow Up\" - unresolved, raised to T3 for follow-up, "
    "retention not stated; any other reason - the customer no longer needed "
    "to cancel (retained)",
    kArticle};
const sdk::Rule kCreatedAfterCall{
    "ms.t2_task.created_after_call",
    "A T2 task is created AFTER the call, never before it ended (Tier 2 Task "
    "Creation, as quoted in Related Articles; design reading: created at the "
    "instant the call ended counts as after; a missing time is a warning "
    "naming the field)",
    kArticle};

const sdk::Rule kUncovered{
    "ms.uncovered.reason_or_threat",
    "A reason or threat of the call that no rule of the Membership Services "
    "article covers (e.g. a medical emergency, a risk to a person, a media "
    "inquiry, an attorney calling) is named in a note on every proposal; with "
    "no other proposal, the call stays in Membership Services with that note. "
    "No route is invented (design reading: the article is silent on these "
    "reasons; which reasons and threats are covered is derived by probing "
    "the routing rules)",
    kArticle};

const sdk::Rule kServiceJobNotKnown{
    "ms.t2.service_job_not_known",
    "A customer threatening to cancel their warranty, when the call does not "
    "say whether it is regarding a service job: the agent keeps the call and "
    "is told that, if it is, the warm transfer to T2 applies (design "
    "reading: unknown is never no, and no transfer is made on a fact the "
    "call does not give)",
    kArticle};

const std::vector<const sdk::Rule*>& AllRules() {
  static const auto* rules = new std::vector<const sdk::Rule*>{
      &kWarmTransferToT2, &kTier2Hours,        &kTier2Closed,       &kCategory,
      &kOneReason,        &kNoneRemoved,       &kRetentionFinding,
      &kCreatedAfterCall, &kUncovered,         &kServiceJobNotKnown};
  return *rules;
}

const v1::RecordTypeInfo& T2TaskType() {
  static const auto* type = new v1::RecordTypeInfo(sdk::MakeRecordType(
      kT2TaskType,
      "The T2 task the T2 agent creates, AFTER the call, for a warm transfer "
      "from Membership Services or Retention (MS-2, MS-3, MS-5)",
      kCategory, v1::ZOHO, v1::T2_TASK,
      {{"Category", "category", std::string(words::kCategoryValue), ""},
       {std::string(words::kResolutionField), "resolution_reasons", "",
        std::string(words::kSelectOne)}}));
  return *type;
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

const std::vector<ReasonFinding>& NamedReasonFindings() {
  static const auto* findings = new std::vector<ReasonFinding>{
      {"Sent to Membership to Cancel", "customer_not_retained_sent_to_cancel",
       "Not retained: the customer still needed to cancel. The article uses "
       "this reason \"when you could not resolve the customer\u2019s complaint "
       "and there was still a need to transfer the customer to or back to "
       "membership to cancel\"."},
      {"Created T3 for Follow Up", "unresolved_t3_follow_up",
       "Unresolved, raised to T3 for follow-up; whether the customer was "
       "retained is not yet known. The article uses this reason \"for any "
       "instance that the T2 agent needed to create a T3 task to raise the "
       "escalation. These jobs, typically, will need to be followed up on "
       "after the T2 agent was unsuccessful at deescalating and setting the "
       "expectation.\""},
  };
  return *findings;
}

const ReasonFinding kOtherReasonFinding{
    "", "customer_retained",
    "Retained: \"All other resolution reasons will indicate the customer no "
    "longer needed to cancel after speaking with the T2 agent.\""};

}  // namespace escalation::membership_services
