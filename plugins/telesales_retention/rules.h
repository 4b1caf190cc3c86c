// The rules of "Telesales and Retention Call Escalations" (TSR-1 … TSR-7;
// docs/architecture.md, Rules and their articles): each rule's id, title and
// article, the article's words the rules use, and the facts the two tables
// read: the route table (route_rules.cc) and the validate table
// (validate_rules.cc). The plugin (plugin.h) declares and applies them.
//
// Facts read: CallFacts.reasons (SUPERVISOR_REQUEST, CLAIM_RELATED_ISSUE,
// MEDICAL_EMERGENCY, RISK_TO_PERSON, MEDIA_INQUIRY, ATTORNEY_CALL), threats
// (BBB_COMPLAINT, LEGAL_ACTION, SOCIAL_MEDIA), de_escalation_failed,
// supervisor_available, supervisor_could_not_resolve, bpo_agent.
// Task keys read: COMMUNICATION_HISTORY_ENTRY Task.fields "supervisor_request"
// (bool; design reading: a key this plugin defines, the article names none):
// true marks the entry as the TSR-2 record of the caller's request to speak
// to a Supervisor; other entries are not checked.
#ifndef PLUGINS_TELESALES_RETENTION_RULES_H_
#define PLUGINS_TELESALES_RETENTION_RULES_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"

namespace escalation::telesales_retention {

namespace sdk = ::escalation::sdk;
namespace v1 = ::escalation::v1;

inline constexpr char kArticle[] = "Telesales and Retention Call Escalations";

// TSR-1 Attempt to de-escalate.
extern const sdk::Rule kDeEscalate;
// TSR-2 Claim related issues.
extern const sdk::Rule kClaimWarmTransfer;
extern const sdk::Rule kClaimHistoryEntry;
// TSR-3 Not de-escalated: a supervisor takes over.
extern const sdk::Rule kSupervisorTakeover;
// TSR-4 No supervisor available.
extern const sdk::Rule kQuickBaseRequest;
extern const sdk::Rule kBpoEmail;
extern const sdk::Rule kTurnaround48h;
extern const sdk::Rule kRequestInQuickBase;
extern const sdk::Rule kRequestWithin48h;
// TSR-5 The supervisor cannot resolve.
extern const sdk::Rule kManagementTeam;
// TSR-6 Threat of BBB, a lawyer or social media.
extern const sdk::Rule kThreatNotifySupervisor;
// TSR-7 Escalation types this process does not apply to.
extern const sdk::Rule kMedicalEmergency;
extern const sdk::Rule kRiskToPerson;
extern const sdk::Rule kMediaPolicy;
extern const sdk::Rule kAttorneyCall;

// The records the rules require, as record types (Task.record_type).
inline constexpr char kHistoryEntryType[] =
    "telesales_retention.supervisor_request_history_entry";
inline constexpr char kCallbackRequestType[] =
    "telesales_retention.supervisor_callback_request";
const v1::RecordTypeInfo& HistoryEntryType();     // TSR-2
const v1::RecordTypeInfo& CallbackRequestType();  // TSR-4

// TSR-7: the configured link to each dedicated process, by the reason of
// the excluded type ("process_links" in the configuration; none by default).
using ProcessLinks = std::map<v1::Reason, std::string>;

// What the routing rules read.
struct Call {
  const v1::CallFacts& call;
  absl::Time now;  // The request's evaluation instant.
  const ProcessLinks& links;
};
// The routing rules, in the order they are applied (route_rules.cc).
sdk::RouteTable<Call> RouteRules();

// What the validation rules read.
struct Check {
  const v1::Task& task;
};
// The validation rules, in the order they are applied (validate_rules.cc).
sdk::ValidateTable<Check> ValidateRules();

// Every rule above, in catalogue order.
const std::vector<const sdk::Rule*>& AllRules();

// TSR-7: an escalation type outside this process and where it goes instead.
struct ExcludedType {
  v1::Reason reason;
  const sdk::Rule* rule;
  v1::Decision::Destination destination;
  v1::Priority priority;
  absl::string_view article_name;  // As the article lists it.
  absl::string_view process;       // The dedicated process, as titled.
};
const std::vector<ExcludedType>& ExcludedTypes();

// TSR-6: the threats the article names, as the article words them.
struct NamedThreat {
  v1::Threat threat;
  absl::string_view words;
};
const std::vector<NamedThreat>& NotifyThreats();

// TSR-4: "the turnaround time for a callback is 48 hours".
inline constexpr absl::Duration kCallbackTurnaround = absl::Hours(48);

// The article's words.
namespace words {
inline constexpr absl::string_view kTryToResolve =
    "Try to resolve the issue with the caller.";
inline constexpr absl::string_view kGuidance =
    "Contact a supervisor for guidance if needed.";
inline constexpr absl::string_view kWarmTransferCs =
    "Warm transfer the caller to a Customer Service Agent.";
inline constexpr absl::string_view kInformCs =
    "Inform the Customer Service Agent of the request to speak to a Supervisor.";
inline constexpr absl::string_view kDocumentRequest =
    "Document the request in the Communication History Log.";
inline constexpr absl::string_view kTakeOver =
    "A supervisor must take over the call when available.";
inline constexpr absl::string_view kIfNoSupervisor =
    "If no supervisor is available, submit a Supervisor Call Back Follow-Up "
    "Request in QuickBase (BPO agents email your supervisors).";
inline constexpr absl::string_view kSubmitQuickBase =
    "Submit a Supervisor Call Back Follow-Up Request in QuickBase.";
inline constexpr absl::string_view kBpoEmail = "Email your supervisors.";
inline constexpr absl::string_view kBpoNote =
    "BPO agents email your supervisors instead of submitting the QuickBase "
    "request.";
inline constexpr absl::string_view kTellTurnaround =
    "Tell the caller that the turnaround time for a callback is 48 hours.";
// The callback promise in plain words (not a script: the article gives none).
inline constexpr absl::string_view kTurnaroundPromise =
    "Supervisor Call Back: the turnaround time for a callback is 48 hours.";
inline constexpr absl::string_view kContactManagement =
    "Contact the TS&R Management Team for assistance through phone, chat, or "
    "email.";
inline constexpr absl::string_view kNotifySupervisor = "Notify a supervisor.";
inline constexpr absl::string_view kDocumentAccount =
    "Document the account accordingly.";
inline constexpr absl::string_view kNotApplicable =
    "This process does not apply to the following escalation types: ";
}  // namespace words

}  // namespace escalation::telesales_retention

#endif  // PLUGINS_TELESALES_RETENTION_RULES_H_
