// The three public services, on gRPC's callback API. Each is a thin adapter:
// the PolicyEngine does the work, synchronously, on the callback thread (a
// decision takes microseconds; there is nothing to wait on).
//
// The methods are registered "raw" (bytes in, bytes out) so the service parses
// requests itself: gRPC C++ answers a request that does not parse with an
// empty UNIMPLEMENTED, where a caller needs INVALID_ARGUMENT saying why.
#ifndef ESCALATION_SERVER_SERVICES_POLICY_SERVICES_H_
#define ESCALATION_SERVER_SERVICES_POLICY_SERVICES_H_

#include <memory>

#include "escalation/v1/service.grpc.pb.h"
#include "server/plugin_host/policy_engine.h"

namespace escalation::services {

namespace v1 = ::escalation::v1;

class RoutingService final
    : public v1::RoutingService::WithRawCallbackMethod_Route<v1::RoutingService::Service> {
 public:
  explicit RoutingService(std::shared_ptr<const host::PolicyEngine> engine)
      : engine_(std::move(engine)) {}
  grpc::ServerUnaryReactor* Route(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;

 private:
  std::shared_ptr<const host::PolicyEngine> engine_;
};

class TaskValidationService final
    : public v1::TaskValidationService::WithRawCallbackMethod_ValidateTask<
          v1::TaskValidationService::Service> {
 public:
  explicit TaskValidationService(std::shared_ptr<const host::PolicyEngine> engine)
      : engine_(std::move(engine)) {}
  grpc::ServerUnaryReactor* ValidateTask(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;

 private:
  std::shared_ptr<const host::PolicyEngine> engine_;
};

class PluginService final
    : public v1::PluginService::WithRawCallbackMethod_ListPlugins<v1::PluginService::Service> {
 public:
  explicit PluginService(std::shared_ptr<const host::PolicyEngine> engine)
      : engine_(std::move(engine)) {}
  grpc::ServerUnaryReactor* ListPlugins(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;

 private:
  std::shared_ptr<const host::PolicyEngine> engine_;
};

}  // namespace escalation::services

#endif  // ESCALATION_SERVER_SERVICES_POLICY_SERVICES_H_
