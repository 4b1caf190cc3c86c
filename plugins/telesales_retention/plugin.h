// The Telesales & Retention plugin: routes TELESALES_RETENTION calls and
// validates QuickBase Supervisor Call Back Follow-Up Requests and
// Communication History Log entries, applying the tables of rules.h.
#ifndef PLUGINS_TELESALES_RETENTION_PLUGIN_H_
#define PLUGINS_TELESALES_RETENTION_PLUGIN_H_

#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"
#include "rules.h"

namespace escalation::telesales_retention {

class TelesalesRetentionPlugin : public sdk::Plugin {
 public:
  TelesalesRetentionPlugin();

  // Configuration: {} or {"process_links": {"<REASON>": "<link>", ...}}, a
  // link to the dedicated process of an excluded type (TSR-7), keyed by its
  // reason: MEDICAL_EMERGENCY, RISK_TO_PERSON, MEDIA_INQUIRY, ATTORNEY_CALL.
  absl::Status Configure(const google::protobuf::Struct& config) override;

  absl::Status Route(const sdk::v1::PluginRouteRequest& request,
                     sdk::v1::PluginRouteResponse* response) const override;
  absl::Status Validate(
      const sdk::v1::PluginValidateRequest& request,
      sdk::v1::PluginValidateResponse* response) const override;

 private:
  ProcessLinks process_links_;
  sdk::RouteTable<Call> route_rules_;
  sdk::ValidateTable<Check> validate_rules_;
};

}  // namespace escalation::telesales_retention

#endif  // PLUGINS_TELESALES_RETENTION_PLUGIN_H_
