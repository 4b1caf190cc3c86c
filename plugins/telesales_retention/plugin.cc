#include "plugin.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/config.h"
#include "escalation/sdk/time.h"

namespace escalation::telesales_retention {

TelesalesRetentionPlugin::TelesalesRetentionPlugin()
    : route_rules_(RouteRules()), validate_rules_(ValidateRules()) {
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
  DeclareTable(route_rules_);
  DeclareTable(validate_rules_);
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
  sdk::Apply(route_rules_,
             Call{request.call(), sdk::FromProto(request.evaluation_time()),
                  process_links_},
             response);
  return absl::OkStatus();
}

absl::Status TelesalesRetentionPlugin::Validate(
    const v1::PluginValidateRequest& request,
    v1::PluginValidateResponse* response) const {
  const v1::Task& task = request.task();
  if (task.kind() != v1::SUPERVISOR_CALLBACK_REQUEST &&
      task.kind() != v1::COMMUNICATION_HISTORY_ENTRY) {
    return absl::InvalidArgumentError(
        absl::StrCat("telesales_retention does not validate task kind ",
                     v1::TaskKind_Name(task.kind())));
  }
  sdk::Apply(validate_rules_, Check{task}, response);
  return absl::OkStatus();
}

}  // namespace escalation::telesales_retention
