// An example department plugin: one routing rule and one validation rule,
// each citing the knowledge-base article it implements, in the tables of
// rules.h. Copy this directory and rename it to start a department.
#ifndef EXAMPLE_DEPARTMENT_PLUGIN_H_
#define EXAMPLE_DEPARTMENT_PLUGIN_H_

#include <string>

#include "escalation/sdk/plugin.h"
#include "rules.h"

namespace example {

class ExampleDepartment : public sdk::Plugin {
 public:
  ExampleDepartment();

  // {"refuses_information_script": "<text>"}: refuses a missing script or an
  // unknown key, so a typo stops the server at start-up instead of changing
  // the policy silently.
  absl::Status Configure(const google::protobuf::Struct& config) override;

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override;
  absl::Status Validate(const v1::PluginValidateRequest& request,
                        v1::PluginValidateResponse* response) const override;

 private:
  std::string refuses_information_script_;
  sdk::RouteTable<Call> route_rules_;
  sdk::ValidateTable<Check> validate_rules_;
};

}  // namespace example

#endif  // EXAMPLE_DEPARTMENT_PLUGIN_H_
