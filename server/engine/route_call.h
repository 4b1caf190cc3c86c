// One Route decision in progress (docs/architecture.md, The path of one
// call): route with each plugin of the
// department in turn, let each destination's plugin admit the proposals that
// can be part of the decision, then merge.
#ifndef ESCALATION_SERVER_ENGINE_ROUTE_CALL_H_
#define ESCALATION_SERVER_ENGINE_ROUTE_CALL_H_

#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "escalation/v1/call.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/route_answer.h"

namespace escalation::host {

using RouteDone = absl::AnyInvocable<void(absl::StatusOr<const RouteAnswer*>) &&>;

// Starts the decision for `facts` with `routers` (not empty, owned by
// `registry`); `done` runs once, on whichever thread delivers the last
// plugin answer. `facts` is read before this returns.
void StartRoute(std::shared_ptr<const PluginRegistry> registry, const v1::CallFacts& facts,
                const std::vector<const Plugin*>& routers,
                const google::protobuf::Timestamp& evaluation_time, absl::Time deadline,
                RouteDone done);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_ENGINE_ROUTE_CALL_H_
