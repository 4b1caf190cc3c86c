#include "server/services/policy_services.h"

#include <string>

#include "absl/time/clock.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "server/services/status_conversion.h"

namespace escalation::services {
namespace {

// Parses `request_bytes` as a Request and starts `decide(request, deadline,
// done)`; `done` finishes the call with the answer, on whatever thread.
template <typename Request, typename Response, typename Decide>
grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request_bytes,
                                grpc::ByteBuffer* response_bytes,
                                CallTracker* calls, Decide decide) {
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
  const uint64_t id = calls->Begin(reactor);
  decide(request, absl::FromChrono(context->deadline()),
         [reactor, response_bytes, calls, id](absl::StatusOr<Response> answer) {
           // A call the drain deadline already answered is not touched again.
           if (!calls->Claim(id)) return;
           if (!answer.ok()) {
             reactor->Finish(ToGrpcStatus(answer.status()));
           } else {
             bool own_buffer = false;
             reactor->Finish(grpc::SerializationTraits<Response>::Serialize(
                 *answer, response_bytes, &own_buffer));
           }
         });
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* RoutingService::Route(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) {
  return Serve<v1::RouteRequest, v1::RouteResponse>(
      context, request, response, calls_,
      [this](const v1::RouteRequest& r, absl::Time deadline, auto done) {
        engine_->RouteAsync(r, absl::Now(), deadline, std::move(done));
      });
}

grpc::ServerUnaryReactor* TaskValidationService::ValidateTask(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve<v1::ValidateTaskRequest, v1::ValidateTaskResponse>(
      context, request, response, calls_,
      [this](const v1::ValidateTaskRequest& r, absl::Time deadline, auto done) {
        engine_->ValidateTaskAsync(r, absl::Now(), deadline, std::move(done));
      });
}

grpc::ServerUnaryReactor* PluginService::ListPlugins(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return Serve<v1::ListPluginsRequest, v1::ListPluginsResponse>(
      context, request, response, calls_,
      [this](const v1::ListPluginsRequest&, absl::Time, auto done) {
        std::move(done)(absl::StatusOr<v1::ListPluginsResponse>(engine_->ListPlugins()));
      });
}

}  // namespace escalation::services
