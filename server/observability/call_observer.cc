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
                          const absl::StatusOr<Response>& answer) {
  if (answer.ok() && answer->has_evaluation_time()) {
    return FromTimestamp(answer->evaluation_time());
  }
  if (request.has_evaluation_time()) return FromTimestamp(request.evaluation_time());
  return call.received;
}

bool IsRequestFault(absl::StatusCode code) {
  return code == absl::StatusCode::kInvalidArgument ||
         code == absl::StatusCode::kFailedPrecondition;
}

}  // namespace

std::string PluginNamedIn(absl::string_view message) {
  if (!absl::ConsumePrefix(&message, "plugin ")) return "";
  return std::string(message.substr(0, message.find(' ')));
}

CallObserver::Call CallObserver::Begin() const { return Call{NewDecisionId(), absl::Now()}; }

template <typename Request, typename Response>
void CallObserver::Finish(const Call& call, absl::string_view method, const Request& request,
                          const absl::StatusOr<Response>& answer) const {
  const absl::Duration latency = absl::Now() - call.received;
  if (metrics_ != nullptr) metrics_->ObserveRequest(method, answer.status().code(), latency);
  if (!answer.ok() && !IsRequestFault(answer.status().code()) &&
      !PluginNamedIn(answer.status().message()).empty()) {
    LogPluginFailure(call, method, answer.status());
  }
  if (decision_log_ == nullptr) return;
  DecisionRecord record;
  record.decision_id = call.decision_id;
  record.method = std::string(method);
  record.received = call.received;
  record.evaluation_time = EvaluationTime(call, request, answer);
  record.latency = latency;
  record.status = answer.status();
  record.request = std::make_unique<Request>(request);
  if (answer.ok()) record.response = std::make_unique<Response>(*answer);
  decision_log_->Submit(std::move(record));
}

void CallObserver::FinishRoute(const Call& call, const v1::RouteRequest& request,
                               const absl::StatusOr<v1::RouteResponse>& answer) const {
  if (metrics_ != nullptr && answer.ok()) metrics_->ObserveRoute(request, *answer);
  Finish(call, "Route", request, answer);
}

void CallObserver::FinishValidation(
    const Call& call, const v1::ValidateTaskRequest& request,
    const absl::StatusOr<v1::ValidateTaskResponse>& answer) const {
  if (metrics_ != nullptr && answer.ok()) metrics_->ObserveValidation(*answer);
  Finish(call, "ValidateTask", request, answer);
}

void CallObserver::FinishOther(const Call& call, absl::string_view method,
                               absl::StatusCode code) const {
  if (metrics_ != nullptr) metrics_->ObserveRequest(method, code, absl::Now() - call.received);
}

void CallObserver::LogPluginFailure(const Call& call, absl::string_view method,
                                    const absl::Status& status) const {
  logger_->Error("plugin_failure", status.message(),
                 {StrField("plugin", PluginNamedIn(status.message())),
                  StrField("method", method),
                  StrField("status", absl::StatusCodeToString(status.code())),
                  StrField("decision_id", call.decision_id)});
}

}  // namespace escalation::observability
