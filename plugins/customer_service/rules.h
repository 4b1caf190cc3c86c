// The Customer Service rule table (CS-1 … CS-9; docs/architecture.md, Rules
// and their articles), one entry per
// line of the articles "Transferring A Call To Retention", "Customer Service
// Escalations" and "Leadership Desk". Rules are applied in table order: the
// rules that propose come first, then the rules that amend every proposal
// (hours, permission, notation, disclosure), then the note naming reasons and
// threats no rule covers (uncovered_rules.cc).
#ifndef ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULES_H_
#define ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULES_H_

#include <functional>
#include <vector>

#include "absl/strings/string_view.h"
#include "escalation/sdk/hours.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"
#include "outcome.h"

namespace escalation::customer_service {

inline constexpr char kRetentionArticle[] = "Transferring A Call To Retention";
inline constexpr char kEscalationsArticle[] = "Customer Service Escalations";
inline constexpr char kLeadershipDeskArticle[] = "Leadership Desk";

inline constexpr char kRecordingDisclosure[] =
    "This call may be recorded for quality assurance and training purposes.";
inline constexpr char kTier2Schedule[] =
    "Monday-Friday from 8:00AM-9:00PM and Saturday 8:00AM-4:30PM EST";
inline constexpr char kTier2TimeZone[] = "America/New_York";

// A line of the table: the SDK's rule-table form over this plugin's Outcome.
using RouteRule = sdk::RouteRule<Outcome>;

// Every routing rule, in the order it is applied.
const std::vector<RouteRule>& RouteRules();

// Whether some rule of the table handles the reason (threat): derived by
// probing the table (uncovered_rules.cc), not kept as a list.
bool IsHandled(v1::Reason reason);
bool IsHandled(v1::Threat threat);

// CS-8, also checked on SERVICE_REQUEST_COMMENT tasks.
const sdk::Rule& NotatePermissionRule();
// CS-8's record: the final comments of the Service Request.
inline constexpr char kFinalComments[] = "customer_service.final_comments";
const v1::RecordTypeInfo& FinalCommentsType();

// CS-6: Tier 2 hours of operation in America/New_York.
const sdk::WeeklyHours& Tier2Hours();

}  // namespace escalation::customer_service

#endif  // ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULES_H_
