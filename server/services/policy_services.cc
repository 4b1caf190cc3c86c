#include "server/services/policy_services.h"

#include "absl/time/clock.h"
#include "server/services/status_conversion.h"

namespace escalation::services {
namespace {

// Finishes the call with `result`'s value in `response` or its error.
template <typename Response>
grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                 absl::StatusOr<Response> result,
                                 Response* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (result.ok()) {
    response->Swap(&*result);
    reactor->Finish(grpc::Status::OK);
  } else {
    reactor->Finish(ToGrpcStatus(result.status()));
  }
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* RoutingService::Route(
    grpc::CallbackServerContext* context, const v1::RouteRequest* request,
    v1::RouteResponse* response) {
  return Answer(context, engine_->Route(*request, absl::Now()), response);
}

grpc::ServerUnaryReactor* TaskValidationService::ValidateTask(
    grpc::CallbackServerContext* context,
    const v1::ValidateTaskRequest* request,
    v1::ValidateTaskResponse* response) {
  return Answer(context, engine_->ValidateTask(*request, absl::Now()), response);
}

grpc::ServerUnaryReactor* PluginService::ListPlugins(
    grpc::CallbackServerContext* context, const v1::ListPluginsRequest*,
    v1::ListPluginsResponse* response) {
  return Answer(context, absl::StatusOr<v1::ListPluginsResponse>(
                             engine_->ListPlugins()),
                response);
}

}  // namespace escalation::services
