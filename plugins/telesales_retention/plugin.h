// The Telesales & Retention plugin: routes TELESALES_RETENTION calls and
// validates QuickBase Supervisor Call Back Follow-Up Requests and
// Communication History Log entries, applying the table in rules.h.
#ifndef PLUGINS_TELESALES_RETENTION_PLUGIN_H_
#define PLUGINS_TELESALES_RETENTION_PLUGIN_H_

#include "escalation/sdk/plugin.h"

namespace escalation::telesales_retention {

class TelesalesRetentionPlugin : public sdk::Plugin {
 public:
  TelesalesRetentionPlugin();

  // Needs no configuration: the SDK default accepts only {}.

  absl::Status Route(const sdk::v1::PluginRouteRequest& request,
                     sdk::v1::PluginRouteResponse* response) const override;
  absl::Status Validate(
      const sdk::v1::PluginValidateRequest& request,
      sdk::v1::PluginValidateResponse* response) const override;
};

}  // namespace escalation::telesales_retention

#endif  // PLUGINS_TELESALES_RETENTION_PLUGIN_H_
