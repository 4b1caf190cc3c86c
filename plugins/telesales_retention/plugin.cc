#include "plugin.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::telesales_retention {
namespace {

bool KnownFalse(bool has, bool value) { return has && !value; }

v1::Decision* Start(v1::Priority priority, v1::Action action,
                    absl::string_view summary,
                    v1::PluginRouteResponse* response) {
  v1::Decision* decision = sdk::Propose(priority, response);
  decision->set_action(action);
  decision->set_summary(std::string(summary));
  return decision;
}

void AddSteps(const sdk::Rule& rule,
              std::initializer_list<absl::string_view> steps,
              v1::Decision* decision) {
  for (absl::string_view step : steps) sdk::AddStep(rule, step, decision);
}

// TSR-7. Returns true when the call is of a type this process excludes.
bool ProposeProtocols(const v1::CallFacts& call,
                      v1::PluginRouteResponse* response) {
  bool excluded = false;
  for (const ExcludedType& type : ExcludedTypes()) {
    if (!sdk::HasReason(call, type.reason)) continue;
    excluded = true;
    v1::Decision* d =
        Start(type.priority, v1::FOLLOW_PROTOCOL,
              absl::StrCat(words::kNotApplicable, type.article_name, "."),
              response);
    d->set_destination(type.destination);
    sdk::AddStep(*type.rule,
                 absl::StrCat("Follow the dedicated process: ",
                              type.article_name, "."),
                 d);
  }
  return excluded;
}

// TSR-2.
void ClaimRelated(v1::PluginRouteResponse* response) {
  // A transfer between Retention and CS (DESIGN §4 names no other rank).
  v1::Decision* d = Start(v1::RETENTION_TRANSFER, v1::TRANSFER,
                          "Claim related issue: warm transfer the caller to a "
                          "Customer Service Agent.",
                          response);
  d->set_destination(v1::Decision::CUSTOMER_SERVICE);
  d->set_transfer_mode(v1::WARM);
  AddSteps(kClaimWarmTransfer,
           {words::kWarmTransferCs, words::kInformCs, words::kDocumentRequest},
           d);
  sdk::AddRecord(kClaimWarmTransfer, HistoryEntryType(), "with the transfer", d);
}

// TSR-1.
void DeEscalate(const v1::CallFacts& call, v1::PluginRouteResponse* response) {
  v1::Decision* d = Start(v1::RESOLVE_IN_DEPARTMENT, v1::RESOLVE_HERE,
                          "Attempt to de-escalate.", response);
  AddSteps(kDeEscalate, {words::kTryToResolve, words::kGuidance}, d);
  if (!call.has_de_escalation_failed()) {
    sdk::NoteNotKnown(kDeEscalate, "call.de_escalation_failed",
                      "the issue cannot be de-escalated",
                      "a supervisor must take over the call when available "
                      "(tsr.not_de_escalated.supervisor_takeover)",
                      d);
  }
}

// TSR-3.
void Takeover(const v1::CallFacts& call, v1::PluginRouteResponse* response) {
  v1::Decision* d = Start(v1::LEADERSHIP_DESK_TIER1, v1::SUPERVISOR_TAKEOVER,
                          words::kTakeOver, response);
  d->set_destination(v1::Decision::DIRECT_SUPERVISOR);
  sdk::AddStep(kSupervisorTakeover, words::kTakeOver, d);
  if (!call.has_supervisor_could_not_resolve()) {
    sdk::NoteNotKnown(kSupervisorTakeover, "call.supervisor_could_not_resolve",
                      "the supervisor cannot resolve the issue",
                      "they must contact the TS&R Management Team for "
                      "assistance through phone, chat, or email "
                      "(tsr.supervisor_cannot_resolve.management)",
                      d);
  }
  if (!call.has_supervisor_available()) {
    sdk::AddNote(kSupervisorTakeover,
                 absl::StrCat(words::kIfNoSupervisor, " ",
                              words::kTellTurnaround),
                 d);
  }
}

// TSR-4.
void NoSupervisor(const v1::CallFacts& call, absl::Time now,
                  v1::PluginRouteResponse* response) {
  v1::Decision* d = Start(v1::LEADERSHIP_DESK_TIER1, v1::SCHEDULE_CALLBACK,
                          "No supervisor is available: request a supervisor "
                          "callback.",
                          response);
  // The supervisor calls back (QuickBase request or, for BPO agents, email).
  d->set_destination(v1::Decision::DIRECT_SUPERVISOR);
  if (call.bpo_agent()) {
    sdk::AddStep(kBpoEmail, words::kBpoEmail, d);
  } else {
    sdk::AddStep(kQuickBaseRequest, words::kSubmitQuickBase, d);
    sdk::AddRecord(kQuickBaseRequest, CallbackRequestType(),
                   "while no supervisor is available", d);
    if (!call.has_bpo_agent()) sdk::AddNote(kQuickBaseRequest, words::kBpoNote, d);
  }
  // The article gives the step, not a script: no script is returned.
  sdk::AddStep(kTurnaround48h, words::kTellTurnaround, d);
  v1::CallbackPromise* promise = d->mutable_callback();
  promise->set_summary(std::string(words::kTurnaroundPromise));
  *promise->mutable_anchor() = sdk::ToProto(now);
  *promise->mutable_first_contact_within() = sdk::ToProto(kCallbackTurnaround);
  *promise->mutable_first_contact_due() =
      sdk::ToProto(now + kCallbackTurnaround);
  promise->set_rule_id(kTurnaround48h.id);
}

// TSR-5.
void Management(v1::PluginRouteResponse* response) {
  // The supervisor keeps the call and asks the management team for help.
  v1::Decision* d = Start(v1::LEADERSHIP_DESK_TIER1, v1::SUPERVISOR_TAKEOVER,
                          "The supervisor cannot resolve the issue: contact "
                          "the TS&R Management Team.",
                          response);
  d->set_destination(v1::Decision::TSR_MANAGEMENT);
  sdk::AddStep(kManagementTeam, words::kContactManagement, d);
}

// TSR-1 … TSR-5, for a request to speak with a supervisor.
void ProposeSupervisorRequest(const v1::CallFacts& call, absl::Time now,
                              v1::PluginRouteResponse* response) {
  if (sdk::HasReason(call, v1::CLAIM_RELATED_ISSUE)) return ClaimRelated(response);
  if (call.supervisor_could_not_resolve()) return Management(response);
  if (!call.de_escalation_failed()) return DeEscalate(call, response);
  if (KnownFalse(call.has_supervisor_available(), call.supervisor_available())) {
    return NoSupervisor(call, now, response);
  }
  Takeover(call, response);
}

// TSR-6.
void ProposeThreatHandling(const v1::CallFacts& call,
                           v1::PluginRouteResponse* response) {
  std::vector<absl::string_view> named;
  for (const NamedThreat& t : NotifyThreats()) {
    if (sdk::HasThreat(call, t.threat)) named.push_back(t.words);
  }
  if (named.empty()) return;
  v1::Decision* d = Start(
      v1::RESOLVE_IN_DEPARTMENT, v1::RESOLVE_HERE,
      "If a customer threatens BBB, to contact a lawyer, and/or social media "
      "platforms, the agent should notify a supervisor and document the "
      "account accordingly.",
      response);
  AddSteps(kThreatNotifySupervisor,
           {words::kNotifySupervisor, words::kDocumentAccount}, d);
  sdk::AddNote(kThreatNotifySupervisor,
               absl::StrCat("The customer threatens ",
                            absl::StrJoin(named, ", "), "."),
               d);
}

void ValidateCallbackRequest(const v1::Task& task,
                             v1::PluginValidateResponse* response) {
  sdk::Cite(kRequestInQuickBase, response);
  if (task.system() != v1::QUICKBASE) {
    sdk::AddViolation(
        kRequestInQuickBase, "system",
        absl::StrCat("A Supervisor Call Back Follow-Up Request is submitted in "
                     "QuickBase (BPO agents email their supervisors instead); "
                     "system is ",
                     task.system() == v1::TASK_SYSTEM_UNSPECIFIED
                         ? "not set"
                         : v1::TaskSystem_Name(task.system()),
                     "."),
        v1::ERROR, response);
  }
  // Checked only when both times are given; otherwise a finding says so.
  if (!task.has_created_at() || !task.has_callback_scheduled_at()) {
    sdk::FindingNotKnown(
        kRequestWithin48h,
        task.has_created_at() ? "callback_scheduled_at" : "created_at",
        "the callback is scheduled more than 48 hours after the request",
        "the caller was promised a turnaround of 48 hours "
        "(tsr.callback_request.within_48h, a warning)",
        response);
    return;
  }
  sdk::Cite(kRequestWithin48h, response);
  const absl::Duration wait = sdk::FromProto(task.callback_scheduled_at()) -
                              sdk::FromProto(task.created_at());
  if (wait > kCallbackTurnaround) {
    sdk::AddViolation(
        kRequestWithin48h, "callback_scheduled_at",
        absl::StrCat("The callback is scheduled ", absl::FormatDuration(wait),
                     " after the request, but the caller is told that the "
                     "turnaround time for a callback is 48 hours."),
        v1::WARNING, response);
  }
}

void CheckHistoryText(const v1::Task& task, v1::PluginValidateResponse* response);

void ValidateHistoryEntry(const v1::Task& task,
                          v1::PluginValidateResponse* response) {
  const auto& fields = task.fields().fields();
  auto marker = fields.find("supervisor_request");
  const bool typed = task.record_type() == kHistoryEntryType;
  if (marker == fields.end() && !typed) {  // Not known to be the TSR-2 record.
    sdk::FindingNotKnown(
        kClaimHistoryEntry, "fields.supervisor_request",
        "this entry documents a caller's request to speak to a Supervisor "
        "(TSR-2)",
        "its text must document the request (tsr.claim_related.history_entry); "
        "set fields.supervisor_request, or record_type " +
            std::string(kHistoryEntryType) + ", to have it checked",
        response);
    return;
  }
  if (typed) {
    sdk::Cite(kClaimHistoryEntry, response);
    CheckHistoryText(task, response);
    return;
  }
  if (!marker->second.has_bool_value()) {
    sdk::AddViolation(kClaimHistoryEntry, "fields.supervisor_request",
                      "fields.supervisor_request must be true or false.",
                      v1::ERROR, response);
    return;
  }
  if (!marker->second.bool_value()) return;
  sdk::Cite(kClaimHistoryEntry, response);
  CheckHistoryText(task, response);
}

// TSR-2: the entry documents the request to speak to a Supervisor.
void CheckHistoryText(const v1::Task& task, v1::PluginValidateResponse* response) {
  const std::string text =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(task.text()));
  if (text.empty()) {
    sdk::AddViolation(kClaimHistoryEntry, "text",
                      "The entry must document the request to speak to a "
                      "Supervisor; its text is empty.",
                      v1::ERROR, response);
  } else if (!absl::StrContains(text, "supervisor")) {
    sdk::AddViolation(kClaimHistoryEntry, "text",
                      "The entry does not mention the request to speak to a "
                      "Supervisor; document the request.",
                      v1::WARNING, response);
  }
}

}  // namespace

TelesalesRetentionPlugin::TelesalesRetentionPlugin() {
  SetDescription(
      "Telesales & Retention: supervisor requests, threats and the escalation "
      "types outside the process (\"Telesales and Retention Call "
      "Escalations\").");
  RoutesFor(v1::TELESALES_RETENTION);
  Validates(v1::SUPERVISOR_CALLBACK_REQUEST);
  Validates(v1::COMMUNICATION_HISTORY_ENTRY);
  for (const sdk::Rule* rule : AllRules()) DeclareRule(*rule);
  DeclareRecordType(HistoryEntryType());
  DeclareRecordType(CallbackRequestType());
}

absl::Status TelesalesRetentionPlugin::Route(
    const v1::PluginRouteRequest& request,
    v1::PluginRouteResponse* response) const {
  if (!request.has_evaluation_time()) {
    return absl::InvalidArgumentError("evaluation_time is required");
  }
  const v1::CallFacts& call = request.call();
  // "This process does not apply": nothing else is proposed.
  if (ProposeProtocols(call, response)) return absl::OkStatus();
  if (sdk::HasReason(call, v1::SUPERVISOR_REQUEST)) {
    ProposeSupervisorRequest(call, sdk::FromProto(request.evaluation_time()),
                             response);
  }
  ProposeThreatHandling(call, response);
  return absl::OkStatus();
}

absl::Status TelesalesRetentionPlugin::Validate(
    const v1::PluginValidateRequest& request,
    v1::PluginValidateResponse* response) const {
  const v1::Task& task = request.task();
  switch (task.kind()) {
    case v1::SUPERVISOR_CALLBACK_REQUEST:
      ValidateCallbackRequest(task, response);
      return absl::OkStatus();
    case v1::COMMUNICATION_HISTORY_ENTRY:
      ValidateHistoryEntry(task, response);
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("telesales_retention does not validate task kind ",
                       v1::TaskKind_Name(task.kind())));
  }
}

}  // namespace escalation::telesales_retention
