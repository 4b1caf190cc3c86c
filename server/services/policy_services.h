// The three public services, on gRPC's callback API. Each is a thin adapter:
// the callback thread parses the request and hands it to the PolicyEngine;
// the answer is sent from whichever thread finishes the decision, so no
// gRPC thread ever waits on plugin code (docs/architecture.md,
// Fault containment).
//
// Each Route and ValidateTask answer carries its decision id in the trailing
// metadata "escalation-decision-id", the id of its decision-log line.
//
// The methods are registered "raw" (bytes in, bytes out) so the service parses
// requests itself: gRPC C++ answers a request that does not parse with an
// empty UNIMPLEMENTED, where a caller needs INVALID_ARGUMENT saying why.
#ifndef ESCALATION_SERVER_SERVICES_POLICY_SERVICES_H_
#define ESCALATION_SERVER_SERVICES_POLICY_SERVICES_H_

#include <memory>

#include "escalation/v1/service.grpc.pb.h"
#include "server/observability/call_observer.h"
#include "server/engine/policy_engine.h"
#include "server/services/call_tracker.h"

namespace escalation::services {

namespace v1 = ::escalation::v1;

class RoutingService final
    : public v1::RoutingService::WithRawCallbackMethod_Route<v1::RoutingService::Service> {
 public:
  // `observer` may be null (no metrics, no decision log).
  RoutingService(std::shared_ptr<const host::PolicyEngine> engine, CallTracker* calls,
                 const observability::CallObserver* observer = nullptr)
      : engine_(std::move(engine)), calls_(calls), observer_(observer) {}
  grpc::ServerUnaryReactor* Route(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;

 private:
  std::shared_ptr<const host::PolicyEngine> engine_;
  CallTracker* calls_;
  const observability::CallObserver* observer_;
};

class TaskValidationService final
    : public v1::TaskValidationService::WithRawCallbackMethod_ValidateTask<
          v1::TaskValidationService::Service> {
 public:
  // `observer` may be null (no metrics, no decision log).
  TaskValidationService(std::shared_ptr<const host::PolicyEngine> engine, CallTracker* calls,
                        const observability::CallObserver* observer = nullptr)
      : engine_(std::move(engine)), calls_(calls), observer_(observer) {}
  grpc::ServerUnaryReactor* ValidateTask(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

 private:
  std::shared_ptr<const host::PolicyEngine> engine_;
  CallTracker* calls_;
  const observability::CallObserver* observer_;
};

class PluginService final
    : public v1::PluginService::WithRawCallbackMethod_ListPlugins<v1::PluginService::Service> {
 public:
  // `observer` may be null (no metrics, no decision log).
  PluginService(std::shared_ptr<const host::PolicyEngine> engine, CallTracker* calls,
                const observability::CallObserver* observer = nullptr)
      : engine_(std::move(engine)), calls_(calls), observer_(observer) {}
  grpc::ServerUnaryReactor* ListPlugins(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;

 private:
  std::shared_ptr<const host::PolicyEngine> engine_;
  CallTracker* calls_;
  const observability::CallObserver* observer_;
};

}  // namespace escalation::services

#endif  // ESCALATION_SERVER_SERVICES_POLICY_SERVICES_H_
