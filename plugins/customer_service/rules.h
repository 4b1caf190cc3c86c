// The Customer Service route table (CS-1 … CS-9; docs/architecture.md, Rules
// and their articles), as rows of the SDK's one form (escalation/sdk/rule_table.h)
// beside their articles: retention_rules.cc ("Transferring A Call To
// Retention"), leadership_desk_rules.cc ("Leadership Desk"),
// escalation_rules.cc and tier2_rules.cc ("Customer Service Escalations").
// The rows that propose come first; the rows that amend or revise what was
// proposed follow, in the order RouteRows gives.
#ifndef ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULES_H_
#define ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULES_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "escalation/sdk/hours.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/reason_lists.h"
#include "escalation/sdk/rule_table.h"

namespace escalation::customer_service {

namespace v1 = ::escalation::v1;

inline constexpr char kRetentionArticle[] = "Transferring A Call To Retention";
inline constexpr char kEscalationsArticle[] = "Customer Service Escalations";
inline constexpr char kLeadershipDeskArticle[] = "Leadership Desk";

inline constexpr char kRecordingDisclosure[] =
    "This call may be recorded for quality assurance and training purposes.";
inline constexpr char kTier2Schedule[] =
    "Monday-Friday from 8:00AM-9:00PM and Saturday 8:00AM-4:30PM EST";
inline constexpr char kTier2TimeZone[] = "America/New_York";

// What every row reads: the call, and the instant it is routed at.
struct Call {
  const v1::CallFacts& call;
  absl::Time now;
  sdk::OpenOnce tier2 = {};  // Tier2Open's answer for this call.
};
using Row = sdk::DecisionRow<Call>;
using Rows = std::vector<Row>;

// The parts of the route table, each in the file of its article (the
// plugin puts them in the order they apply, plugin.cc).
Rows RetentionProposals();            // CS-2, CS-3
Row NotToRetentionRow();              // CS-2, on the proposals made
Row RecordingDisclosureRow();         // CS-1, on the transfers proposed
Rows LeadershipDeskProposals();       // CS-4
Row ServiceBenchCallBackRow();        // CS-7 entered as LD-5 says
Rows Tier1Rows();                     // CS-4's supervisor steps and notes
Rows Tier2Rows();                     // CS-5, CS-6, CS-7 and Tier 2's revisions
Row NotatePermissionRow();            // CS-8
Row RefusalScriptsRow();              // CS-9
// The standard last row: reasons and threats no row handles.
sdk::UncoveredReasons UncoveredReasonsRow();

// CS-8, also checked on SERVICE_REQUEST_COMMENT tasks, and its record: the
// final comments of the Service Request.
const sdk::Rule& NotatePermissionRule();
inline constexpr char kFinalComments[] = "customer_service.final_comments";
v1::RecordTypeInfo FinalCommentsType();

// What the checks of a SERVICE_REQUEST_COMMENT task read.
struct Comments {
  const v1::Task& task;
  const std::string& text;
  const v1::RecordTypeInfo& final_comments;  // As the plugin declared it.
};
using CheckRows = std::vector<sdk::CheckRow<Comments>>;
CheckRows CommentChecks();  // CS-8

// CS-6: Tier 2 hours of operation in America/New_York.
const sdk::WeeklyHours& Tier2Hours();

// ---- Facts several rows read ----
bool DeEscalationFailed(const v1::CallFacts& c);
// call.supervisor_could_not_resolve, or the Call Back exception permission
// given (the supervisors give it when they are unable to assist).
bool SupervisorsUnable(const v1::CallFacts& c);
bool CallBackExceptionRefused(const v1::CallFacts& c);
// A Tier 1 situation (CS-4); SUPERVISOR_REQUEST counts only when the
// customer has not already spoken with a supervisor (then it is CS-5).
bool HasTier1Reason(const v1::CallFacts& c, v1::Reason reason);
// A Tier 1 situation the agent is still to de-escalate.
bool DeEscalateFirst(const v1::CallFacts& c);
// The outcome of a row that keeps the call in Customer Service.
sdk::Outcome KeepTheCall(std::string summary);
// Turns `d` into the CS-7 path: a Call Back exception with permission, given
// or not known (never refused).
void CallBackException(const sdk::Rule& rule, const v1::CallFacts& call, v1::Decision* d);
bool IsTier2(const Call&, const v1::Decision& d);
bool IsCallBackException(const Call&, const v1::Decision& d);
bool HasCallBackExceptionRecord(const v1::Decision& d);
bool Always(const Call&);

// Sets `comments` (the configured approved Exception Comments for the call's
// reasons) as the allowed values of the comment of every Call Back exception
// record the proposals require.
void OfferExceptionComments(const sdk::ReasonLists& configured, const v1::CallFacts& call,
                            v1::PluginRouteResponse* response);

}  // namespace escalation::customer_service

#endif  // ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULES_H_
