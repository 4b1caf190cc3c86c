#include "server/services/policy_services.h"

#include <string>

#include "absl/time/clock.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "server/services/status_conversion.h"

namespace escalation::services {
namespace {

// Parses `request_bytes` as a Request, answers it with `handle` (which
// returns absl::StatusOr<Response>), and finishes the call.
template <typename Request, typename Handle>
grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request_bytes,
                                grpc::ByteBuffer* response_bytes, Handle handle) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Request request;
  grpc::ByteBuffer bytes(*request_bytes);  // Shares the slices; Deserialize consumes it.
  if (!grpc::SerializationTraits<Request>::Deserialize(&bytes, &request).ok()) {
    reactor->Finish(grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        "request is not a valid " + Request::descriptor()->full_name() +
            " (malformed protobuf, or a string that is not UTF-8)"));
    return reactor;
  }
  auto answer = handle(request);
  if (!answer.ok()) {
    reactor->Finish(ToGrpcStatus(answer.status()));
    return reactor;
  }
  bool own_buffer = false;
  reactor->Finish(grpc::SerializationTraits<typename decltype(answer)::value_type>::Serialize(
      *answer, response_bytes, &own_buffer));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* RoutingService::Route(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) {
  return Serve<v1::RouteRequest>(context, request, response, [&](const auto& r) {
    return engine_->Route(r, absl::Now());
  });
}

grpc::ServerUnaryReactor* TaskValidationService::ValidateTask(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve<v1::ValidateTaskRequest>(context, request, response, [&](const auto& r) {
    return engine_->ValidateTask(r, absl::Now());
  });
}

grpc::ServerUnaryReactor* PluginService::ListPlugins(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return Serve<v1::ListPluginsRequest>(context, request, response, [&](const auto&) {
    return absl::StatusOr<v1::ListPluginsResponse>(engine_->ListPlugins());
  });
}

}  // namespace escalation::services
