#include "rules.h"

#include "escalation/sdk/records.h"

namespace escalation::telesales_retention {

// Requests to speak with a Supervisor received by a TS&R associate:
const sdk::Rule kDeEscalate{
    "tsr.supervisor_request.de_escalate",
    "Supervisor request: attempt to de-escalate first (try to resolve the "
    "issue; contact a supervisor for guidance if needed) (design reading: "
    "while de-escalation is not known to have failed)",
    kArticle};
const sdk::Rule kClaimWarmTransfer{
    "tsr.claim_related.warm_transfer_cs",
    "Claim related issue with a supervisor request: warm transfer the caller "
    "to a Customer Service Agent, inform them of the request to speak to a "
    "Supervisor, document it in the Communication History Log (design reading: "
    "whether or not de-escalation was attempted)",
    kArticle};
const sdk::Rule kClaimHistoryEntry{
    "tsr.claim_related.history_entry",
    "The Communication History Log entry documents the request to speak to a "
    "Supervisor (design reading: the Struct key fields.supervisor_request is "
    "this plugin's, not the article's; an entry marked true must have text, "
    "and text that does not mention a supervisor is a warning)",
    kArticle};
const sdk::Rule kSupervisorTakeover{
    "tsr.not_de_escalated.supervisor_takeover",
    "Not de-escalated: a supervisor must take over the call when available "
    "(design reading: also when availability is unknown; destination "
    "DIRECT_SUPERVISOR stands for the article's \"a supervisor\")",
    kArticle};
const sdk::Rule kQuickBaseRequest{
    "tsr.no_supervisor.quickbase_request",
    "No supervisor available: submit a Supervisor Call Back Follow-Up Request "
    "in QuickBase (design reading: also when it is unknown whether the agent "
    "is BPO, with a note for BPO agents; destination DIRECT_SUPERVISOR stands "
    "for the supervisor who calls back)",
    kArticle};
const sdk::Rule kBpoEmail{
    "tsr.no_supervisor.bpo_email",
    "No supervisor available, BPO agent: email your supervisors (design "
    "reading: instead of the QuickBase request, so no QuickBase record is "
    "required)",
    kArticle};
const sdk::Rule kTurnaround48h{
    "tsr.no_supervisor.turnaround_48h",
    "No supervisor available: tell the caller that the turnaround time for a "
    "callback is 48 hours (design reading: due 48 elapsed hours after the "
    "evaluation instant, unaffected by daylight saving)",
    kArticle};
const sdk::Rule kRequestInQuickBase{
    "tsr.callback_request.in_quickbase",
    "A Supervisor Call Back Follow-Up Request is submitted in QuickBase",
    kArticle};
const sdk::Rule kRequestWithin48h{
    "tsr.callback_request.within_48h",
    "A callback scheduled more than 48 hours after the request breaks the "
    "promised turnaround (design reading: a warning)",
    kArticle};
const sdk::Rule kManagementTeam{
    "tsr.supervisor_cannot_resolve.management",
    "The supervisor cannot resolve the issue: the supervisor must contact the "
    "TS&R Management Team for assistance through phone, chat, or email "
    "(design reading: the supervisor keeps the call, SUPERVISOR_TAKEOVER with "
    "destination TSR_MANAGEMENT, not a transfer)",
    kArticle};
// If a customer threatens BBB, to contact a lawyer, and/or social media:
const sdk::Rule kThreatNotifySupervisor{
    "tsr.threat.notify_supervisor",
    "Threat of BBB, a lawyer or social media: notify a supervisor and document "
    "the account accordingly (design reading: threat LEGAL_ACTION stands for "
    "\"to contact a lawyer\")",
    kArticle};
// This process does not apply to the following escalation types:
#define TSR_EXCLUDED_READING                                                 \
  " (design reading: the call goes to the dedicated protocol and no other " \
  "rule of this article is proposed)"
const sdk::Rule kMedicalEmergency{
    "tsr.excluded.medical_emergency",
    "Medical emergency: this process does not apply; follow the Telesales "
    "and Retention Medical Transfer Process (design reading: the article "
    "lists \"Medical Emergency Protocols\" and links that article, which "
    "covers a customer who discloses a medical condition; the call goes to "
    "the dedicated protocol and no other rule of this article is proposed)",
    kArticle};
const sdk::Rule kRiskToPerson{
    "tsr.excluded.risk_to_person",
    "Potential risk to customer or service professional: this process does "
    "not apply; follow the process for Potential Risk to Customer or "
    "Service Professional" TSR_EXCLUDED_READING,
    kArticle};
const sdk::Rule kMediaPolicy{
    "tsr.excluded.media",
    "Media: this process does not apply; follow the Cinch Media Policy and "
    "Guidelines" TSR_EXCLUDED_READING,
    kArticle};
const sdk::Rule kAttorneyCall{
    "tsr.excluded.attorney",
    "Call from an attorney: this process does not apply; follow the process "
    "for a Call from an attorney" TSR_EXCLUDED_READING,
    kArticle};
#undef TSR_EXCLUDED_READING

const v1::RecordTypeInfo& HistoryEntryType() {
  static const auto* type = new v1::RecordTypeInfo(sdk::MakeRecordType(
      kHistoryEntryType,
      "The Communication History Log entry documenting a caller's request to "
      "speak to a Supervisor, with the warm transfer to Customer Service "
      "(TSR-2)",
      kClaimHistoryEntry, v1::TASK_SYSTEM_UNSPECIFIED,
      v1::COMMUNICATION_HISTORY_ENTRY,
      {{"text", "text", "",
        "Documents the caller's request to speak to a Supervisor."}}));
  return *type;
}

const v1::RecordTypeInfo& CallbackRequestType() {
  // The article names the request and its system, no fields.
  static const auto* type = new v1::RecordTypeInfo(sdk::MakeRecordType(
      kCallbackRequestType,
      "The Supervisor Call Back Follow-Up Request in QuickBase, while no "
      "supervisor is available (TSR-4)",
      kQuickBaseRequest, v1::QUICKBASE, v1::SUPERVISOR_CALLBACK_REQUEST, {}));
  return *type;
}

const std::vector<const sdk::Rule*>& AllRules() {
  static const auto* rules = new std::vector<const sdk::Rule*>{
      &kDeEscalate,        &kClaimWarmTransfer,   &kClaimHistoryEntry,
      &kSupervisorTakeover, &kQuickBaseRequest,   &kBpoEmail,
      &kTurnaround48h,     &kRequestInQuickBase,  &kRequestWithin48h,
      &kManagementTeam,    &kThreatNotifySupervisor, &kMedicalEmergency,
      &kRiskToPerson,      &kMediaPolicy,         &kAttorneyCall};
  return *rules;
}

// Safety protocols outrank matters outside the process (docs/architecture.md,
// The merge).
const std::vector<ExcludedType>& ExcludedTypes() {
  static const auto* types = new std::vector<ExcludedType>{
      {v1::MEDICAL_EMERGENCY, &kMedicalEmergency,
       v1::Decision::MEDICAL_EMERGENCY_PROTOCOL, v1::SAFETY_PROTOCOL,
       "Medical Emergency Protocols",
       "Telesales and Retention Medical Transfer Process"},
      {v1::RISK_TO_PERSON, &kRiskToPerson, v1::Decision::RISK_PROTOCOL,
       v1::SAFETY_PROTOCOL, "Potential Risk to Customer or Service Professional",
       "Potential Risk to Customer or Service Professional"},
      {v1::MEDIA_INQUIRY, &kMediaPolicy, v1::Decision::MEDIA_POLICY,
       v1::OUTSIDE_PROCESS, "Cinch Media Policy and Guidelines",
       "Cinch Media Policy and Guidelines"},
      {v1::ATTORNEY_CALL, &kAttorneyCall, v1::Decision::ATTORNEY_PROTOCOL,
       v1::OUTSIDE_PROCESS, "Call from an attorney", "Call from an attorney"},
  };
  return *types;
}

const std::vector<NamedThreat>& NotifyThreats() {
  static const auto* threats = new std::vector<NamedThreat>{
      {v1::BBB_COMPLAINT, "BBB"},
      {v1::LEGAL_ACTION, "to contact a lawyer"},
      {v1::SOCIAL_MEDIA, "social media platforms"},
  };
  return *threats;
}

}  // namespace escalation::telesales_retention
