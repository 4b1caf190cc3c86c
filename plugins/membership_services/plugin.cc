#include "plugin.h"

#include "absl/strings/str_cat.h"
#include "escalation/sdk/time.h"

namespace escalation::membership_services {

MembershipServicesPlugin::MembershipServicesPlugin()
    : tier2_hours_(Tier2Hours()),
      route_rules_(RouteRules()),
      validate_rules_(ValidateRules()) {
  SetDescription(
      "Membership Services: the warm transfer to T2 and the T2 task fields "
      "(\"T2 Live Transfer from Membership Services\").");
  RoutesFor(v1::MEMBERSHIP_SERVICES);
  Validates(v1::T2_TASK);
  for (const sdk::Rule* rule : AllRules()) DeclareRule(*rule);
  DeclareRecordType(T2TaskType());
  DeclareTable(route_rules_);
  DeclareTable(validate_rules_);
}

absl::Status MembershipServicesPlugin::Configure(
    const google::protobuf::Struct& config) {
  if (!tier2_hours_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Tier 2 hours: ", tier2_hours_.status().message()));
  }
  return sdk::Plugin::Configure(config);
}

absl::Status MembershipServicesPlugin::Route(
    const v1::PluginRouteRequest& request,
    v1::PluginRouteResponse* response) const {
  if (!request.has_evaluation_time()) {
    return absl::InvalidArgumentError("evaluation_time is required");
  }
  sdk::Apply(route_rules_,
             Call{request.call(), tier2_hours_.ok() ? &*tier2_hours_ : nullptr,
                  sdk::FromProto(request.evaluation_time())},
             response);
  return absl::OkStatus();
}

absl::Status MembershipServicesPlugin::Validate(
    const v1::PluginValidateRequest& request,
    v1::PluginValidateResponse* response) const {
  const v1::Task& task = request.task();
  if (task.kind() != v1::T2_TASK) {
    return absl::InvalidArgumentError(
        absl::StrCat("membership_services does not validate task kind ",
                     v1::TaskKind_Name(task.kind())));
  }
  sdk::Apply(validate_rules_, Check{task}, response);
  return absl::OkStatus();
}

}  // namespace escalation::membership_services
