#include "server/observability/call_observer.h"

#include <memory>

#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/observability/decision_record.h"

namespace escalation::observability {
namespace {

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// The evaluation instant the decision used: the response says; without one,
// the request's, or else the arrival time (the engine's clock reading then).
template <typename Request, typename Response>
absl::Time EvaluationTime(const CallObserver::Call& call, const Request& request,
                          const Response* response) {
  if (response != nullptr && response->has_evaluation_time()) {
    return FromTimestamp(response->evaluation_time());
  }
  if (request.has_evaluation_time()) return FromTimestamp(request.evaluation_time());
  return call.received;
}

// Under --decision_log_overflow=block a call whose line cannot be stored is
// answered this long before its deadline, so the caller gets the reason and
// not DEADLINE_EXCEEDED.
constexpr absl::Duration kAnswerMargin = absl::Milliseconds(50);

bool IsRequestFault(absl::StatusCode code) {
  return code == absl::StatusCode::kInvalidArgument ||
         code == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

std::string PluginNamedIn(absl::string_view message) {
  if (!absl::ConsumePrefix(&message, "plugin ")) return "";
  return std::string(message.substr(0, message.find(' ')));
}

CallObserver::Call CallObserver::Begin() const { return Begin(Origin()); }

CallObserver::Call CallObserver::Begin(Origin origin) const {
  return Call{NewDecisionId(), absl::Now(), std::move(origin)};
}

CallObserver::Call CallObserver::BeginUnnamed() const { return Call{"", absl::Now(), Origin()}; }

bool CallObserver::NamesFailure(const absl::Status& status) {
  return !status.ok() && !IsRequestFault(status.code()) &&
         !PluginNamedIn(status.message()).empty();
}

void CallObserver::Name(Call* call, Origin origin) {
  if (call->decision_id.empty()) call->decision_id = NewDecisionId();
  call->origin = std::move(origin);
}

template <typename Request, typename Response>
void CallObserver::Finish(const Call& call, absl::string_view method, const Request& request,
                          const absl::Status& status, const Response* response,
                          Answer answer) const {
  const absl::Duration latency = absl::Now() - call.received;
  if (NamesFailure(status)) LogPluginFailure(call, method, status);
  if (!AnswersWait()) {
    if (metrics_ != nullptr) metrics_->ObserveRequest(method, status.code(), latency);
    if (decision_log_ != nullptr) {
      decision_log_->Submit(MakeRecord(call, method, request, status, response, latency),
                            absl::InfiniteFuture(), nullptr);
    }
    if (answer) answer(absl::OkStatus());
    return;
  }
  // The request metrics count what the caller is told, which under
  // --decision_log_overflow=block may be UNAVAILABLE instead of the decision.
  Answer observed = [metrics = metrics_, method, code = status.code(),
                     received = call.received, answer = std::move(answer)](
                        const absl::Status& instead) {
    if (metrics != nullptr) {
      metrics->ObserveRequest(method, instead.ok() ? code : instead.code(),
                              absl::Now() - received);
    }
    if (answer) answer(instead);
  };
  decision_log_->Submit(MakeRecord(call, method, request, status, response, latency),
                        call.origin.deadline - kAnswerMargin, std::move(observed));
}

template <typename Request, typename Response>
DecisionRecord CallObserver::MakeRecord(const Call& call, absl::string_view method,
                                        const Request& request, const absl::Status& status,
                                        const Response* response, absl::Duration latency) {
  DecisionRecord record;
  record.decision_id = call.decision_id;
  record.method = std::string(method);
  record.received = call.received;
  record.evaluation_time = EvaluationTime(call, request, response);
  record.latency = latency;
  record.status = status;
  record.peer = call.origin.peer;
  record.peer_subject = call.origin.peer_subject;
  record.traceparent = call.origin.traceparent;
  record.request = std::make_unique<Request>(request);
  if (response != nullptr) record.response = std::make_unique<Response>(*response);
  return record;
}

void CallObserver::FinishRoute(const Call& call, const v1::RouteRequest& request,
                               const absl::Status& status,
                               const host::RouteAnswer* response, Answer answer) const {
  if (metrics_ != nullptr && response != nullptr) metrics_->ObserveRoute(request, *response);
  // Only the decision log reads the whole response (an answer written as
  // bytes is parsed for it).
  const v1::RouteResponse* message =
      decision_log_ != nullptr && response != nullptr ? &response->response() : nullptr;
  Finish(call, "Route", request, status, message, std::move(answer));
}

void CallObserver::FinishValidation(const Call& call, const v1::ValidateTaskRequest& request,
                                    const absl::Status& status,
                                    const v1::ValidateTaskResponse* response,
                                    Answer answer) const {
  if (metrics_ != nullptr && response != nullptr) metrics_->ObserveValidation(*response);
  Finish(call, "ValidateTask", request, status, response, std::move(answer));
}

void CallObserver::FinishOther(const Call& call, absl::string_view method,
                               absl::StatusCode code) const {
  if (metrics_ != nullptr) metrics_->ObserveRequest(method, code, absl::Now() - call.received);
}

void CallObserver::LogPluginFailure(const Call& call, absl::string_view method,
                                    const absl::Status& status) const {
  LogThrottled(*logger_, failure_throttle_, LogLevel::kError, "plugin failures",
               "plugin_failure", status.message(),
               {StrField("plugin", PluginNamedIn(status.message())), StrField("method", method),
                StrField("status", absl::StatusCodeToString(status.code())),
                StrField("decision_id", call.decision_id),
                StrField("trace_id", TraceIdOf(call.origin.traceparent)),
                StrField("peer", call.origin.peer)});
}

}  // namespace escalation::observability
