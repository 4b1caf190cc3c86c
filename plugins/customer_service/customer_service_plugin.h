// The Customer Service department plugin: routes CUSTOMER_SERVICE calls by the
// rule table in rules.h and validates the final comments of a Service Request.
//
// Configuration (plugins/customer_service/config.json):
//   {"sites": ["tampa", "manila"]}   the sites a call may name in call.site
//                                    (case-insensitive: "Tampa" is "tampa")
#ifndef ESCALATION_PLUGINS_CUSTOMER_SERVICE_PLUGIN_H_
#define ESCALATION_PLUGINS_CUSTOMER_SERVICE_PLUGIN_H_

#include <string>
#include <vector>

#include "escalation/sdk/plugin.h"

namespace escalation::customer_service {

class CustomerServicePlugin : public sdk::Plugin {
 public:
  CustomerServicePlugin();

  absl::Status Configure(const google::protobuf::Struct& config) override;
  absl::Status Route(const sdk::v1::PluginRouteRequest& request,
                     sdk::v1::PluginRouteResponse* response) const override;
  absl::Status Validate(const sdk::v1::PluginValidateRequest& request,
                        sdk::v1::PluginValidateResponse* response) const override;

 private:
  std::vector<std::string> sites_;  // In lower case.
};

}  // namespace escalation::customer_service

#endif  // ESCALATION_PLUGINS_CUSTOMER_SERVICE_PLUGIN_H_
