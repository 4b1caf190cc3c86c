// The Membership Services plugin: routes MEMBERSHIP_SERVICES calls (the warm
// transfer to T2) and validates T2 tasks, applying the tables of rules.h.
#ifndef PLUGINS_MEMBERSHIP_SERVICES_PLUGIN_H_
#define PLUGINS_MEMBERSHIP_SERVICES_PLUGIN_H_

#include "absl/status/statusor.h"
#include "escalation/sdk/hours.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"
#include "rules.h"

namespace escalation::membership_services {

class MembershipServicesPlugin : public sdk::Plugin {
 public:
  MembershipServicesPlugin();

  // Accepts only {} (SDK default) and fails when the Tier 2 hours cannot be
  // built (no tz database), so a broken install fails at startup.
  absl::Status Configure(const google::protobuf::Struct& config) override;

  absl::Status Route(const sdk::v1::PluginRouteRequest& request,
                     sdk::v1::PluginRouteResponse* response) const override;
  absl::Status Validate(
      const sdk::v1::PluginValidateRequest& request,
      sdk::v1::PluginValidateResponse* response) const override;

  // Whether a routing rule handles the reason (threat): derived by probing
  // the route table with each one alone, not kept as a list.
  bool Handles(v1::Reason reason) const { return route_rules_.coverage()->Handles(reason); }
  bool Handles(v1::Threat threat) const { return route_rules_.coverage()->Handles(threat); }

 private:
  absl::StatusOr<sdk::WeeklyHours> tier2_hours_;
  sdk::RouteTable<Call> route_rules_;
  sdk::ValidateTable<Check> validate_rules_;
};

}  // namespace escalation::membership_services

#endif  // PLUGINS_MEMBERSHIP_SERVICES_PLUGIN_H_
