// The rules of "T2 Live Transfer from Membership Services" (MS-1 … MS-5;
// docs/architecture.md, Rules and their articles): each rule's id, title and
// article, the article's words the rules use, and the facts the two tables
// read: the route table (route_rules.cc) and the validate table
// (validate_rules.cc). The plugin (plugin.h) declares and applies them.
//
// Facts read: CallFacts.threats (CANCEL_WARRANTY), concerns_service_job; every
// other reason and threat only to name it as not covered (kUncovered).
// Task fields read (T2_TASK): category, resolution_reasons, origin_department,
// created_at, call_ended_at. No Struct keys are read.
#ifndef PLUGINS_MEMBERSHIP_SERVICES_RULES_H_
#define PLUGINS_MEMBERSHIP_SERVICES_RULES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "escalation/sdk/hours.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"

namespace escalation::membership_services {

namespace sdk = ::escalation::sdk;
namespace v1 = ::escalation::v1;

inline constexpr char kArticle[] = "T2 Live Transfer from Membership Services";
inline constexpr char kCsArticle[] = "Customer Service Escalations";

// MS-1 Membership/Retention may warm-transfer to T2.
extern const sdk::Rule kWarmTransferToT2;
// Tier 2 hours of operation, from the CS article (design reading).
extern const sdk::Rule kTier2Hours;
// Tier 2 closed: no transfer is instructed (design reading).
extern const sdk::Rule kTier2Closed;
// MS-2 Category "Membership Services".
extern const sdk::Rule kCategory;
// MS-3 "Resolution Reason – Multiselect": only ONE reason, "None" removed.
extern const sdk::Rule kOneReason;
extern const sdk::Rule kNoneRemoved;
// MS-4 Whether the customer still needed to cancel.
extern const sdk::Rule kRetentionFinding;
// MS-5 The T2 task is created after the call.
extern const sdk::Rule kCreatedAfterCall;

// A reason or threat of the call that no routing rule handles is named in a
// note (design reading).
extern const sdk::Rule kUncovered;
// A cancel threat whose link to a service job the call does not give: the
// agent keeps the call, told what would change it (design reading).
extern const sdk::Rule kServiceJobNotKnown;

// What the route rules read. `hours` null: no hours (the coverage probe,
// where Tier 2 counts as open).
struct Call {
  const v1::CallFacts& call;
  const sdk::WeeklyHours* hours;
  absl::Time now;
  sdk::OpenOnce tier2 = {};  // Tier2Open's answer for this call.
};
// MS-1 and the Tier 2 hours, then the standard row for uncovered reasons.
sdk::RouteTable<Call> RouteRules();

// What the validate rules read.
struct Check {
  const v1::Task& task;
};
// MS-2 … MS-5 on a T2 task.
sdk::ValidateTable<Check> ValidateRules();

// The T2 task's record type (MS-2, MS-3, MS-5).
inline constexpr char kT2TaskType[] = "membership_services.t2_task";
const v1::RecordTypeInfo& T2TaskType();

// Every rule above, in catalogue order.
const std::vector<const sdk::Rule*>& AllRules();

// Tier 2 Hours of Operation: "Monday-Friday from 8:00AM-9:00PM and Saturday
// 8:00AM-4:30PM EST", read as America/New_York (CS-6; docs/architecture.md,
// Time).
absl::StatusOr<sdk::WeeklyHours> Tier2Hours();

// MS-4: what the single resolution reason says about the customer, in the
// article's words. The two reasons the article names, then any other reason.
struct ReasonFinding {
  absl::string_view reason;   // As the article spells it.
  absl::string_view code;     // The finding code.
  absl::string_view meaning;  // What the article says the reason means.
};
const std::vector<ReasonFinding>& NamedReasonFindings();
// Any reason other than the named ones ("All other resolution reasons").
extern const ReasonFinding kOtherReasonFinding;

// The article's words.
namespace words {
inline constexpr absl::string_view kMayWarmTransfer =
    "The Membership/Retention department may perform a warm transfer to T2 "
    "with a customer that was threatening to cancel their warranty regarding "
    "a service job.";
// Not an article step: the reading is in kWarmTransferToT2's title.
inline constexpr absl::string_view kStateOrigin =
    "Tell the T2 agent that you are with membership services or retention and "
    "have an escalated customer that was threatening to cancel their "
    "warranty.";
inline constexpr absl::string_view kTier2Schedule =
    "Monday-Friday from 8:00AM-9:00PM and Saturday 8:00AM-4:30PM EST";
inline constexpr absl::string_view kCategoryValue = "Membership Services";
inline constexpr absl::string_view kResolutionField =
    "Resolution Reason \u2013 Multiselect";
inline constexpr absl::string_view kSelectOne =
    "Select only ONE REASON and remove \"None\".";
inline constexpr absl::string_view kNone = "None";
inline constexpr absl::string_view kNoRuleCovers =
    "no rule of the Membership Services article covers this";
inline constexpr absl::string_view kFollowSiteProcedure =
    "; follow your site's procedure for it.";
inline constexpr absl::string_view kNothingCovered =
    "No rule of the Membership Services article covers this call's reasons "
    "or threats; see the notes.";
inline constexpr absl::string_view kServiceJobNotKnown =
    "The customer threatens to cancel their warranty; whether it is "
    "regarding a service job is not known, so no transfer to T2 is "
    "proposed.";
inline constexpr absl::string_view kNoAlternative =
    "The article gives no alternative to the warm transfer to T2.";
inline constexpr absl::string_view kAfterCall =
    "It is imperative to create each task AFTER each call.";
}  // namespace words

}  // namespace escalation::membership_services

#endif  // PLUGINS_MEMBERSHIP_SERVICES_RULES_H_
