#include "plugin.h"

#include "escalation/sdk/config.h"

namespace example {

ExampleDepartment::ExampleDepartment()
    : route_rules_(RouteRules()), validate_rules_(ValidateRules()) {
  SetDescription("Example department plugin built from tools/plugin-template.");
  RoutesFor(v1::CUSTOMER_SERVICE);
  Validates(v1::T3_TASK);
  // Puts each table's rules in the manifest and checks every rule id and
  // record type its outcomes name: a typo fails the load, naming it.
  DeclareTable(route_rules_);
  DeclareTable(validate_rules_);
}

absl::Status ExampleDepartment::Configure(const google::protobuf::Struct& config) {
  if (absl::Status s = sdk::RejectUnknownKeys(config, {"refuses_information_script"},
                                              "example_department configuration");
      !s.ok()) {
    return s;
  }
  auto script = sdk::RequireString(config, "refuses_information_script");
  if (!script.ok()) return script.status();
  refuses_information_script_ = *std::move(script);
  return absl::OkStatus();
}

absl::Status ExampleDepartment::Route(const v1::PluginRouteRequest& request,
                                      v1::PluginRouteResponse* response) const {
  sdk::Apply(route_rules_, Call{request.call(), refuses_information_script_}, response);
  return absl::OkStatus();
}

absl::Status ExampleDepartment::Validate(const v1::PluginValidateRequest& request,
                                         v1::PluginValidateResponse* response) const {
  sdk::Apply(validate_rules_, Check{request.task()}, response);
  return absl::OkStatus();
}

}  // namespace example
