#include "server/services/policy_services.h"

#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "absl/time/clock.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "server/services/status_conversion.h"

namespace escalation::services {
namespace {

using observability::CallObserver;

// What the observer is told of each kind of call; `response` is null unless
// `status` is OK.
// `answer` says when the call may be answered, and with what instead.
void Observe(const CallObserver& o, const CallObserver::Call& call,
             const v1::RouteRequest& request, const absl::Status& status,
             const host::RouteAnswer* response, CallObserver::Answer answer) {
  o.FinishRoute(call, request, status, response, std::move(answer));
}
void Observe(const CallObserver& o, const CallObserver::Call& call,
             const v1::ValidateTaskRequest& request, const absl::Status& status,
             const v1::ValidateTaskResponse* response, CallObserver::Answer answer) {
  o.FinishValidation(call, request, status, response, std::move(answer));
}
void Observe(const CallObserver& o, const CallObserver::Call& call, const v1::ListPluginsRequest&,
             const absl::Status& status, const v1::ListPluginsResponse*,
             CallObserver::Answer answer) {
  o.FinishOther(call, "ListPlugins", status.code());
  if (answer) answer(absl::OkStatus());
}

// Who called, for the decision log and a plugin failure's line: address,
// client certificate subject, W3C traceparent, deadline. Read only for a
// call that gets a line (CallObserver::NamesEveryCall): each part is an
// allocation of gRPC's.
CallObserver::Origin OriginOf(const grpc::CallbackServerContext& context) {
  CallObserver::Origin origin;
  origin.peer = context.peer();
  if (const auto auth = context.auth_context(); auth != nullptr) {
    for (const grpc::string_ref& subject : auth->FindPropertyValues("x509_subject")) {
      origin.peer_subject.assign(subject.data(), subject.size());
    }
  }
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("traceparent"); it != metadata.end()) {
    origin.traceparent.assign(it->second.data(), it->second.size());
  }
  origin.deadline = absl::FromChrono(context.deadline());
  return origin;
}

// Finishes `reactor` through the tracker with `reply`, or with what the
// observer says instead.
CallObserver::Answer FinishWith(CallTracker* calls, const grpc::CallbackServerContext* context,
                                grpc::ServerUnaryReactor* reactor, grpc::Status reply) {
  return [calls, context, reactor, reply = std::move(reply)](const absl::Status& instead) {
    calls->Finish(*context, reactor, instead.ok() ? reply : ToGrpcStatus(instead));
  };
}

// The method a request is for, as the request metrics name it.
constexpr absl::string_view MethodOf(const v1::RouteRequest*) { return "Route"; }
constexpr absl::string_view MethodOf(const v1::ValidateTaskRequest*) { return "ValidateTask"; }
constexpr absl::string_view MethodOf(const v1::ListPluginsRequest*) { return "ListPlugins"; }

// Counts a call that was answered, or refused, during a drain.
void ObserveDrain(const CallObserver* observer, absl::string_view outcome) {
  if (observer != nullptr && observer->metrics() != nullptr) {
    observer->metrics()->ObserveDrainCall(outcome);
  }
}

// An answer is a response, or one that lives with its decision.
template <typename Response>
const Response& Deref(const Response& response) { return response; }
template <typename Response>
const Response& Deref(const Response* response) { return *response; }

// Writes the response message, or the Route answer's own bytes when it has them.
template <typename Response>
grpc::Status Write(const Response& response, grpc::ByteBuffer* out) {
  bool own_buffer = false;
  return grpc::SerializationTraits<Response>::Serialize(response, out, &own_buffer);
}
grpc::Status Write(const host::RouteAnswer& answer, grpc::ByteBuffer* out) {
  const std::string* bytes = answer.bytes();
  if (bytes == nullptr) return Write(answer.response(), out);
  grpc::Slice slice(bytes->data(), bytes->size());
  grpc::ByteBuffer written(&slice, 1);
  out->Swap(&written);  // Assigning would copy the buffer.
  return grpc::Status::OK;
}

// Parses a request from its bytes as gRPC received them: in place when they
// came in one slice (as a request of this API's size does), which spares
// a copy of the buffer that gRPC's own Deserialize would consume.
template <typename Request>
bool Parse(const grpc::ByteBuffer& bytes, Request* request) {
  grpc::Slice slice;
  if (bytes.TrySingleSlice(&slice).ok()) {
    return slice.size() <= INT_MAX &&
           request->ParseFromArray(slice.begin(), static_cast<int>(slice.size()));
  }
  grpc::ByteBuffer copy(bytes);  // Shares the slices; Deserialize consumes it.
  return grpc::SerializationTraits<Request>::Deserialize(&copy, request).ok();
}

// Parses `request_bytes` as a Request and starts `decide(request, deadline,
// done)`; `done` finishes the call with the answer, on whatever thread.
template <typename Request, typename Response, typename Decide>
grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request_bytes,
                                grpc::ByteBuffer* response_bytes, CallTracker* calls,
                                const CallObserver* observer, Decide decide) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  constexpr bool kDecides = !std::is_same_v<Request, v1::ListPluginsRequest>;
  CallObserver::Call call;
  if (observer != nullptr) {
    call = observer->NamesEveryCall() ? observer->Begin(OriginOf(*context))
                                      : observer->BeginUnnamed();
  }
  // Draining: the tracker refuses the call; no plugin sees it.
  const std::optional<uint64_t> id = calls->Begin(reactor);
  if (!id.has_value()) {
    if (observer != nullptr) {
      observer->FinishOther(call, MethodOf(static_cast<const Request*>(nullptr)),
                            absl::StatusCode::kUnavailable);
    }
    ObserveDrain(observer, "refused");
    return reactor;
  }
  if (kDecides && !call.decision_id.empty()) {
    context->AddTrailingMetadata(observability::kDecisionIdKey, call.decision_id);
  }
  auto request = std::make_shared<Request>();
  if (!Parse(*request_bytes, request.get())) {
    const absl::Status invalid = absl::InvalidArgumentError(
        "request is not a valid " + Request::descriptor()->full_name() +
        " (malformed protobuf, or a string that is not UTF-8)");
    bool during_drain = false;
    if (calls->Claim(*id, &during_drain)) {
      if (during_drain) ObserveDrain(observer, "answered");
      if (observer == nullptr) {
        calls->Finish(*context, reactor, ToGrpcStatus(invalid));
      } else {
        Observe(*observer, call, *request, invalid, nullptr,
                FinishWith(calls, context, reactor, ToGrpcStatus(invalid)));
      }
    }
    return reactor;
  }
  decide(*request, absl::FromChrono(context->deadline()),
         [context, reactor, response_bytes, calls, id = *id, observer, call = std::move(call),
          request](auto answer) mutable {
           // A call the drain deadline already answered is not touched again.
           bool during_drain = false;
           if (!calls->Claim(id, &during_drain)) return;
           if (during_drain) ObserveDrain(observer, "answered");
           if (observer != nullptr && call.decision_id.empty() &&
               CallObserver::NamesFailure(answer.status())) {
             CallObserver::Name(&call, OriginOf(*context));
             if (kDecides) {
               context->AddTrailingMetadata(observability::kDecisionIdKey, call.decision_id);
             }
           }
           const Response* response = answer.ok() ? &Deref(*answer) : nullptr;
           grpc::Status reply = answer.ok() ? Write(Deref(*answer), response_bytes)
                                            : ToGrpcStatus(answer.status());
           if (observer != nullptr && observer->AnswersWait()) {
             // Under --decision_log_overflow=block the answer waits for its line.
             Observe(*observer, call, *request, answer.status(), response,
                     FinishWith(calls, context, reactor, std::move(reply)));
             return;
           }
           if (observer != nullptr) {
             Observe(*observer, call, *request, answer.status(), response, nullptr);
           }
           calls->Finish(*context, reactor, reply);
         });
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* RoutingService::Route(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) {
  return Serve<v1::RouteRequest, host::RouteAnswer>(
      context, request, response, calls_, observer_,
      [this](const v1::RouteRequest& r, absl::Time deadline, auto done) {
        engine_->RouteAsync(r, absl::Now(), deadline, std::move(done));
      });
}

grpc::ServerUnaryReactor* TaskValidationService::ValidateTask(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return Serve<v1::ValidateTaskRequest, v1::ValidateTaskResponse>(
      context, request, response, calls_, observer_,
      [this](const v1::ValidateTaskRequest& r, absl::Time deadline, auto done) {
        engine_->ValidateTaskAsync(r, absl::Now(), deadline, std::move(done));
      });
}

grpc::ServerUnaryReactor* PluginService::ListPlugins(grpc::CallbackServerContext* context,
                                                     const grpc::ByteBuffer* request,
                                                     grpc::ByteBuffer* response) {
  return Serve<v1::ListPluginsRequest, v1::ListPluginsResponse>(
      context, request, response, calls_, observer_,
      [this](const v1::ListPluginsRequest&, absl::Time, auto done) {
        std::move(done)(absl::StatusOr<v1::ListPluginsResponse>(engine_->ListPlugins()));
      });
}

}  // namespace escalation::services
