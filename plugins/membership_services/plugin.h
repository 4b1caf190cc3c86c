// The Membership Services plugin: routes MEMBERSHIP_SERVICES calls (the warm
// transfer to T2) and validates T2 tasks, applying the table in rules.h.
#ifndef PLUGINS_MEMBERSHIP_SERVICES_PLUGIN_H_
#define PLUGINS_MEMBERSHIP_SERVICES_PLUGIN_H_


#include "absl/status/statusor.h"
#include "escalation/sdk/hours.h"
#include "escalation/sdk/plugin.h"

namespace escalation::membership_services {

// Whether a routing rule handles the reason (threat): derived by probing the
// routing code with each one alone, not kept as a list.
bool IsHandled(v1::Reason reason);
bool IsHandled(v1::Threat threat);

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

 private:
  absl::StatusOr<sdk::WeeklyHours> tier2_hours_;
};

}  // namespace escalation::membership_services

#endif  // PLUGINS_MEMBERSHIP_SERVICES_PLUGIN_H_
