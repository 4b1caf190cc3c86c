// What the gRPC services report about each call, in one place: the metrics,
// the decision-log line, and a log line when a plugin failed. Each part is
// optional (no --metrics_listen, no --decision_log).
//
//   CallObserver::Call call = observer.Begin(origin);  // on arrival; call.decision_id
//   ... decide ...                                      // goes to the caller's trailers
//   // (without a decision log: observer.BeginUnnamed(), and Name() once the
//   // call turns out to need a line, NamesFailure)
//   observer.FinishRoute(call, request, status, response, answer);  // any thread, once
//   // `answer(stored)` says when the caller may be answered: at once, or,
//   // under --decision_log_overflow=block, once the line is stored (OK) or
//   // could not be by the call's deadline (UNAVAILABLE naming the log).
#ifndef ESCALATION_SERVER_OBSERVABILITY_CALL_OBSERVER_H_
#define ESCALATION_SERVER_OBSERVABILITY_CALL_OBSERVER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "escalation/v1/service.pb.h"
#include "server/engine/route_answer.h"
#include "server/observability/decision_log.h"
#include "server/logging/log_throttle.h"
#include "server/logging/logger.h"
#include "server/observability/metrics.h"

namespace escalation::observability {

// The trailing metadata key that carries a decision's id to the caller.
inline constexpr char kDecisionIdKey[] = "escalation-decision-id";

class CallObserver {
 public:
  // Pointers not owned; `metrics` and `decision_log` may be null.
  CallObserver(Logger* logger, ServerMetrics* metrics, DecisionLog* decision_log)
      : logger_(logger), metrics_(metrics), decision_log_(decision_log) {}

  // Where a call came from, as the transport tells it.
  struct Origin {
    std::string peer;          // "ipv4:127.0.0.1:40000"
    std::string peer_subject;  // The client certificate's subject (mutual TLS).
    std::string traceparent;   // The caller's W3C traceparent header, if any.
    absl::Time deadline = absl::InfiniteFuture();
  };
  struct Call {
    std::string decision_id;
    absl::Time received;
    Origin origin;
  };
  // On arrival: the call's id and origin, which name it in its log lines.
  Call Begin(Origin origin) const;
  Call Begin() const;
  // Without a decision log only a call a plugin failed gets a line, so a
  // service need not read every call's origin from the transport (which
  // allocates): it begins calls unnamed, and names the few that need it.
  bool NamesEveryCall() const { return decision_log_ != nullptr; }
  Call BeginUnnamed() const;
  // Whether a call that ends with `status` gets a line (plugin_failure).
  static bool NamesFailure(const absl::Status& status);
  // Gives an unnamed call its id and origin.
  static void Name(Call* call, Origin origin);

  // Whether answers wait for their decision-log line (the `answer` below is
  // called later); otherwise Finish* calls it before it returns, and a
  // service may pass none and answer itself.
  bool AnswersWait() const { return decision_log_ != nullptr && decision_log_->answers_wait(); }

  // Called once when the call may be answered: OK, or the status to answer
  // instead (UNAVAILABLE naming the decision log).
  using Answer = std::function<void(const absl::Status&)>;

  // `response` is null unless `status` is OK; it is only read during the call.
  // `answer` may be null.
  void FinishRoute(const Call& call, const v1::RouteRequest& request,
                   const absl::Status& status, const host::RouteAnswer* response,
                   Answer answer = nullptr) const;
  void FinishValidation(const Call& call, const v1::ValidateTaskRequest& request,
                        const absl::Status& status, const v1::ValidateTaskResponse* response,
                        Answer answer = nullptr) const;
  void FinishRoute(const Call& call, const v1::RouteRequest& request,
                   const absl::StatusOr<v1::RouteResponse>& answer) const {
    const host::RouteAnswer response(answer.ok() ? &*answer : nullptr);
    FinishRoute(call, request, answer.status(), answer.ok() ? &response : nullptr);
  }
  void FinishValidation(const Call& call, const v1::ValidateTaskRequest& request,
                        const absl::StatusOr<v1::ValidateTaskResponse>& answer) const {
    FinishValidation(call, request, answer.status(), answer.ok() ? &*answer : nullptr);
  }
  // Calls that make no decision (ListPlugins) count in the request metrics only.
  void FinishOther(const Call& call, absl::string_view method, absl::StatusCode code) const;

  ServerMetrics* metrics() const { return metrics_; }

 private:
  template <typename Request, typename Response>
  void Finish(const Call& call, absl::string_view method, const Request& request,
              const absl::Status& status, const Response* response, Answer answer) const;
  template <typename Request, typename Response>
  static DecisionRecord MakeRecord(const Call& call, absl::string_view method,
                                   const Request& request, const absl::Status& status,
                                   const Response* response, absl::Duration latency);
  void LogPluginFailure(const Call& call, absl::string_view method,
                        const absl::Status& status) const;

  Logger* logger_;
  ServerMetrics* metrics_;
  DecisionLog* decision_log_;
  // One plugin_failure line per failed call would flood the log.
  mutable SharedLogThrottle failure_throttle_{"plugin_failure", 10};
};

// The plugin an error message names ("plugin NAME ..."), or "" (the plugin
// host starts every plugin error that way).
std::string PluginNamedIn(absl::string_view message);

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_CALL_OBSERVER_H_
