// The server's Prometheus metrics, served in the text format on /metrics by
// prometheus-cpp's pull exposer (civetweb) when --metrics_listen is given.
//
//   escalation_requests_total{method,code}               counter
//   escalation_request_duration_seconds{method}          histogram
//   escalation_decisions_total{department,action,destination}  counter
//   escalation_rule_hits_total{rule,plugin}              counter
//   escalation_plugin_call_duration_seconds{plugin,call} histogram
//   escalation_plugin_errors_total{plugin,call}          counter
//   escalation_plugin_worker_restarts_total{plugin}      counter
//   escalation_plugin_worker_kills_total{plugin,cause}   counter (hang, crash, memory)
//   escalation_plugin_quarantines_total{plugin}          counter
//   escalation_plugin_calls_expired_queued_total{plugin} counter
//   escalation_plugin_poison_refusals_total{plugin}      counter
//   escalation_decision_log_queue_depth                  gauge
//   escalation_decision_log_dropped_total                counter
//   escalation_decision_log_written_total                counter
//   escalation_decision_log_write_errors_total           counter
//   escalation_decision_log_lost_total{reason}           counter
//   escalation_log_lines_suppressed_total{event}         counter
//   escalation_build_info{version,abi_version,grpc_version,protobuf_version}  gauge 1
//   escalation_plugin_info{plugin,version}               gauge 1
//   process_* for the server and its plugin workers (process_metrics.h)
#ifndef ESCALATION_SERVER_OBSERVABILITY_METRICS_H_
#define ESCALATION_SERVER_OBSERVABILITY_METRICS_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "escalation/v1/service.pb.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "server/observability/decision_log.h"
#include "server/logging/log_throttle.h"
#include "server/engine/route_answer.h"

namespace prometheus {
class Exposer;
}

namespace escalation::observability {

struct BuildInfo {
  std::string server_version;
  std::string abi_version;
  std::string grpc_version;
  std::string protobuf_version;
  // Each loaded plugin: name, version.
  std::vector<std::pair<std::string, std::string>> plugins;
};

class ServerMetrics {
 public:
  explicit ServerMetrics(const BuildInfo& build);
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // Serves /metrics on `address` (IP:PORT; port 0 picks a free one).
  // UNAVAILABLE naming the address when it cannot listen.
  absl::Status Serve(const std::string& address);
  // The port /metrics is served on; 0 before Serve.
  int port() const { return port_; }

  void ObserveRequest(absl::string_view method, absl::StatusCode code,
                      absl::Duration latency);
  void ObserveRoute(const v1::RouteRequest& request, const host::RouteAnswer& answer);
  void ObserveValidation(const v1::ValidateTaskResponse& response);
  // One call into a plugin (`call`: "route", "admit", "validate").
  void ObservePluginCall(absl::string_view plugin, absl::string_view call,
                         absl::Duration latency, bool ok);
  // A call answered (`outcome` "answered") or refused ("refused") after a
  // drain began.
  void ObserveDrainCall(absl::string_view outcome);
  // Adds a plugin to escalation_plugin_info.
  void AddPlugin(const std::string& name, const std::string& version);
  // Reports `log`'s queue depth, drops and lines written; null stops it.
  // `log` must outlive this object or be unwatched first.
  void WatchDecisionLog(const DecisionLog* log);

  // Every metric in the text exposition format, as /metrics serves it.
  std::string Scrape() const;

 private:
  class DecisionLogCollector;
  class WorkerCollector;
  void CountRule(absl::string_view rule, absl::string_view plugin);

  // Family::Add builds a label map and looks it up under the family's lock;
  // the metric it returns lives as long as the family. So each label set is
  // added once and its metric kept here, found by a key made of the labels'
  // values (see LabelKey in metrics.cc), which a call builds without allocating.
  template <typename Metric>
  class Handles {
   public:
    explicit Handles(prometheus::Family<Metric>& family) : family_(family) {}
    // The metric for `key`; `labels()` gives its labels the first time.
    template <typename MakeLabels, typename... Extra>
    Metric& Get(absl::string_view key, MakeLabels labels, const Extra&... extra);

   private:
    prometheus::Family<Metric>& family_;
    absl::Mutex mu_;
    absl::flat_hash_map<std::string, Metric*> metrics_ ABSL_GUARDED_BY(mu_);
  };

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<DecisionLogCollector> decision_log_;
  std::shared_ptr<prometheus::Collectable> process_;
  std::shared_ptr<WorkerCollector> workers_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string host_;  // Of the address /metrics is served on.
  int port_ = 0;

  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Family<prometheus::Counter>& decisions_;
  prometheus::Family<prometheus::Counter>& rule_hits_;
  prometheus::Family<prometheus::Histogram>& plugin_seconds_;
  prometheus::Family<prometheus::Counter>& plugin_errors_;
  prometheus::Family<prometheus::Gauge>& plugin_info_;
  prometheus::Family<prometheus::Counter>& drain_calls_;
  Handles<prometheus::Counter> request_counts_{requests_};
  Handles<prometheus::Histogram> request_latencies_{request_seconds_};
  Handles<prometheus::Counter> decision_counts_{decisions_};
  Handles<prometheus::Counter> rule_counts_{rule_hits_};
  Handles<prometheus::Histogram> plugin_latencies_{plugin_seconds_};
  Handles<prometheus::Counter> plugin_error_counts_{plugin_errors_};
};

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_METRICS_H_
