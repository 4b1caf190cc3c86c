// The policy engine: routes calls and validates tasks with the loaded plugins
// (DESIGN §4: route, admit, merge). Immutable after construction, so it is
// shared by every request thread without a lock.
#ifndef ESCALATION_SERVER_PLUGIN_HOST_POLICY_ENGINE_H_
#define ESCALATION_SERVER_PLUGIN_HOST_POLICY_ENGINE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "escalation/v1/service.pb.h"
#include "server/plugin_host/plugin_registry.h"

namespace escalation::host {

class PolicyEngine {
 public:
  explicit PolicyEngine(std::shared_ptr<const PluginRegistry> registry);

  // `now` is used when the request carries no evaluation instant.
  // Errors follow DESIGN §7: INVALID_ARGUMENT naming the field,
  // FAILED_PRECONDITION naming what is missing, INTERNAL naming the plugin.
  absl::StatusOr<v1::RouteResponse> Route(const v1::RouteRequest& request,
                                          absl::Time now) const;
  absl::StatusOr<v1::ValidateTaskResponse> ValidateTask(
      const v1::ValidateTaskRequest& request, absl::Time now) const;
  v1::ListPluginsResponse ListPlugins() const;

  const PluginRegistry& registry() const { return *registry_; }

 private:
  std::shared_ptr<const PluginRegistry> registry_;
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_PLUGIN_HOST_POLICY_ENGINE_H_
