// The policy engine: routes calls and validates tasks with the loaded plugins
// (docs/architecture.md, The path of one call: route, admit, merge). Immutable
// after construction, so it is shared by every request thread without a lock.
//
// A decision is asynchronous: each plugin call is handed to the plugin (which
// may run it elsewhere: docs/architecture.md, Fault containment) and the
// decision continues on whichever thread delivers the answer; `done` runs
// exactly once.
#ifndef ESCALATION_SERVER_ENGINE_POLICY_ENGINE_H_
#define ESCALATION_SERVER_ENGINE_POLICY_ENGINE_H_

#include <memory>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "escalation/v1/service.pb.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/route_call.h"

namespace escalation::host {

template <typename Response>
using Done = absl::AnyInvocable<void(absl::StatusOr<Response>) &&>;

// A Route answer (route_call.h) lives with its decision (on its arena, or as
// the bytes a plugin sent): `done` reads it, e.g. writes the response, before
// it returns; it is gone afterwards.

class PolicyEngine {
 public:
  explicit PolicyEngine(std::shared_ptr<const PluginRegistry> registry);

  // `now` is used when the request carries no evaluation instant; every plugin
  // call ends by `deadline` (and the plugin's own timeout). Errors follow
  // docs/architecture.md, Errors: INVALID_ARGUMENT naming the field,
  // FAILED_PRECONDITION naming what is missing, INTERNAL, DEADLINE_EXCEEDED,
  // RESOURCE_EXHAUSTED or UNAVAILABLE naming the plugin.
  void RouteAsync(const v1::RouteRequest& request, absl::Time now,
                  absl::Time deadline, RouteDone done) const;
  void ValidateTaskAsync(const v1::ValidateTaskRequest& request, absl::Time now,
                         absl::Time deadline,
                         Done<v1::ValidateTaskResponse> done) const;

  // The same, waiting for the answer (tools and tests).
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

#endif  // ESCALATION_SERVER_ENGINE_POLICY_ENGINE_H_
