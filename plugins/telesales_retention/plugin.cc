#include "plugin.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/config.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::telesales_retention {
namespace {

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

absl::Status TelesalesRetentionPlugin::Configure(
    const google::protobuf::Struct& config) {
  absl::Status known = sdk::RejectUnknownKeys(config, {"process_links"},
                                              "telesales_retention configuration");
  if (!known.ok()) return known;
  process_links_.clear();
  if (!config.fields().contains("process_links")) return absl::OkStatus();
  absl::StatusOr<const google::protobuf::Struct*> links =
      sdk::RequireObject(config, "process_links");
  if (!links.ok()) return links.status();
  for (const auto& [name, unused] : (*links)->fields()) {
    const ExcludedType* type = nullptr;
    for (const ExcludedType& t : ExcludedTypes()) {
      if (v1::Reason_Name(t.reason) == name) type = &t;
    }
    if (type == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "configuration key \"process_links\" names \"", name,
          "\": not the reason of an escalation type this process does not "
          "apply to (MEDICAL_EMERGENCY, RISK_TO_PERSON, MEDIA_INQUIRY, "
          "ATTORNEY_CALL)"));
    }
    absl::StatusOr<std::string> link = sdk::RequireString(**links, name);
    if (!link.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("process_links.", link.status().message()));
    }
    process_links_[type->reason] = *std::move(link);
  }
  return absl::OkStatus();
}

absl::Status TelesalesRetentionPlugin::Route(
    const v1::PluginRouteRequest& request,
    v1::PluginRouteResponse* response) const {
  if (!request.has_evaluation_time()) {
    return absl::InvalidArgumentError("evaluation_time is required");
  }
  Call call{request.call(), sdk::FromProto(request.evaluation_time()),
            process_links_, response};
  sdk::Apply(RouteRules(), call);
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
