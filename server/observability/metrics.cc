#include "server/observability/metrics.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include "absl/strings/str_cat.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/text_serializer.h"
#include "server/observability/process_metrics.h"
#include "server/runtime/runtime_counters.h"

namespace escalation::observability {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

// Decisions take microseconds; a plugin call or a slow path milliseconds.
Histogram::BucketBoundaries LatencyBuckets() {
  return {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001,
          0.0025,  0.005,    0.01,    0.025,  0.05,    0.1,    0.25, 1};
}

template <typename Enum>
std::string EnumLabel(Enum value) {
  const auto* known =
      google::protobuf::GetEnumDescriptor<Enum>()->FindValueByNumber(static_cast<int>(value));
  return known != nullptr ? known->name() : absl::StrCat(static_cast<int>(value));
}

// The values of a label set, each after its length (a rule id comes from a
// plugin and may hold any byte, so no separator could be trusted), in a
// buffer each thread reuses: a lookup allocates nothing once it has grown.
template <typename... Values>
absl::string_view LabelKey(const Values&... values) {
  thread_local std::string key;
  key.clear();
  auto add = [](absl::string_view value) {
    const uint32_t size = static_cast<uint32_t>(value.size());
    key.append(reinterpret_cast<const char*>(&size), sizeof size);
    key.append(value.data(), value.size());
  };
  (add(values), ...);
  return key;
}

// Opens and closes one connection to `host`:`port` (a wildcard host on
// loopback).
void Knock(std::string host, int port) {
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "[::]") host = "::1";
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), absl::StrCat(port).c_str(), &hints, &found) != 0) return;
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    connect(fd, found->ai_addr, found->ai_addrlen);
    close(fd);
  }
  freeaddrinfo(found);
}

}  // namespace

template <typename Metric>
template <typename MakeLabels, typename... Extra>
Metric& ServerMetrics::Handles<Metric>::Get(absl::string_view key, MakeLabels labels,
                                            const Extra&... extra) {
  {
    absl::ReaderMutexLock lock(&mu_);
    if (auto it = metrics_.find(key); it != metrics_.end()) return *it->second;
  }
  absl::MutexLock lock(&mu_);
  Metric*& metric = metrics_[key];
  if (metric == nullptr) metric = &family_.Add(labels(), extra...);
  return *metric;
}

// Read at scrape time, so the queue depth is the depth now; the log lines
// suppressed are counted here too.
class ServerMetrics::DecisionLogCollector : public prometheus::Collectable {
 public:
  void set_log(const DecisionLog* log) { log_.store(log); }

  std::vector<prometheus::MetricFamily> Collect() const override {
    const DecisionLog* log = log_.load();
    auto one = [](const char* name, const char* help, prometheus::MetricType type,
                  double value) {
      prometheus::MetricFamily family{name, help, type, {}};
      prometheus::ClientMetric metric;
      if (type == prometheus::MetricType::Gauge) {
        metric.gauge.value = value;
      } else {
        metric.counter.value = value;
      }
      family.metric.push_back(metric);
      return family;
    };
    std::vector<prometheus::MetricFamily> families = {
        one("escalation_decision_log_queue_depth",
            "Decision-log records accepted and not yet stored or lost",
            prometheus::MetricType::Gauge,
            log ? static_cast<double>(log->queue_depth()) : 0),
        one("escalation_decision_log_dropped_total",
            "Decision-log lines not stored, whatever the reason (see ..._lost_total)",
            prometheus::MetricType::Counter, log ? static_cast<double>(log->dropped()) : 0),
        one("escalation_decision_log_written_total",
            "Decision-log lines the file took (write(2) said so)",
            prometheus::MetricType::Counter, log ? static_cast<double>(log->written()) : 0),
        one("escalation_decision_log_write_errors_total",
            "Writes to the decision log that failed (each is logged, throttled, and retried)",
            prometheus::MetricType::Counter,
            log ? static_cast<double>(log->write_errors()) : 0),
    };
    prometheus::MetricFamily lost{"escalation_decision_log_lost_total",
                                  "Decision-log lines not stored, by reason",
                                  prometheus::MetricType::Counter,
                                  {}};
    for (int i = 0; i < kLineLossCount; ++i) {
      const auto reason = static_cast<LineLoss>(i);
      prometheus::ClientMetric metric;
      metric.label.push_back({"reason", std::string(LineLossName(reason))});
      metric.counter.value = log ? static_cast<double>(log->lost(reason)) : 0;
      lost.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(lost));
    prometheus::MetricFamily suppressed{
        "escalation_log_lines_suppressed_total",
        "Log lines the throttles suppressed (too many a second), by event",
        prometheus::MetricType::Counter,
        {}};
    for (const auto& [event, count] : SuppressedLogLines()) {
      prometheus::ClientMetric metric;
      metric.label.push_back({"event", event});
      metric.counter.value = static_cast<double>(count);
      suppressed.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(suppressed));
    return families;
  }

 private:
  std::atomic<const DecisionLog*> log_{nullptr};
};

// The plugin runtime's counters (worker processes and what became of them),
// read at scrape time.
class ServerMetrics::WorkerCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    auto family = [](const char* name, const char* help) {
      return prometheus::MetricFamily{name, help, prometheus::MetricType::Counter, {}};
    };
    prometheus::MetricFamily restarts = family(
        "escalation_plugin_worker_restarts_total", "Plugin worker processes restarted, by plugin");
    prometheus::MetricFamily kills = family(
        "escalation_plugin_worker_kills_total",
        "Plugin worker processes lost, by plugin and cause: hang (killed after running a call "
        "past its time), crash (ended by itself), memory (replaced over its memory limit)");
    prometheus::MetricFamily quarantines =
        family("escalation_plugin_quarantines_total", "Quarantines begun, by plugin");
    prometheus::MetricFamily expired = family(
        "escalation_plugin_calls_expired_queued_total",
        "Plugin calls whose deadline passed before a worker took them up, by plugin");
    prometheus::MetricFamily poison = family(
        "escalation_plugin_poison_refusals_total",
        "Plugin calls refused because their request crashed the plugin's workers, by plugin");
    auto add = [](prometheus::MetricFamily& to, const std::string& plugin,
                  const std::atomic<int64_t>& value, const char* cause = nullptr) {
      prometheus::ClientMetric metric;
      // In name order, as prometheus-cpp's own families write them.
      if (cause != nullptr) metric.label.push_back({"cause", cause});
      metric.label.push_back({"plugin", plugin});
      metric.counter.value = static_cast<double>(value.load(std::memory_order_relaxed));
      to.metric.push_back(std::move(metric));
    };
    for (const auto& [plugin, counters] : runtime::AllRuntimeCounters()) {
      add(restarts, plugin, counters->worker_restarts);
      add(kills, plugin, counters->killed_hung, "hang");
      add(kills, plugin, counters->crashed, "crash");
      add(kills, plugin, counters->over_memory, "memory");
      add(quarantines, plugin, counters->quarantines);
      add(expired, plugin, counters->expired_queued);
      add(poison, plugin, counters->poison_refused);
    }
    return {restarts, kills, quarantines, expired, poison};
  }
};

ServerMetrics::ServerMetrics(const BuildInfo& build)
    : registry_(std::make_shared<prometheus::Registry>()),
      decision_log_(std::make_shared<DecisionLogCollector>()),
      process_(std::make_shared<ProcessCollector>()),
      workers_(std::make_shared<WorkerCollector>()),
      requests_(BuildCounter()
                    .Name("escalation_requests_total")
                    .Help("Calls answered, by method and gRPC status code")
                    .Register(*registry_)),
      request_seconds_(BuildHistogram()
                           .Name("escalation_request_duration_seconds")
                           .Help("Time to answer a call, by method")
                           .Register(*registry_)),
      decisions_(BuildCounter()
                     .Name("escalation_decisions_total")
                     .Help("Route decisions, by department, action and destination")
                     .Register(*registry_)),
      rule_hits_(BuildCounter()
                     .Name("escalation_rule_hits_total")
                     .Help("Rules that contributed to a decision or a finding, by rule and plugin")
                     .Register(*registry_)),
      plugin_seconds_(BuildHistogram()
                          .Name("escalation_plugin_call_duration_seconds")
                          .Help("Time of one call into a plugin, by plugin and call")
                          .Register(*registry_)),
      plugin_errors_(BuildCounter()
                         .Name("escalation_plugin_errors_total")
                         .Help("Plugin calls that failed, by plugin and call")
                         .Register(*registry_)),
      plugin_info_(BuildGauge()
                       .Name("escalation_plugin_info")
                       .Help("Each loaded plugin, by name and version")
                       .Register(*registry_)),
      drain_calls_(BuildCounter()
                       .Name("escalation_drain_calls_total")
                       .Help("Calls answered, or refused with UNAVAILABLE before any plugin "
                             "saw them, after a drain (SIGTERM) began, by outcome")
                       .Register(*registry_)) {
  BuildGauge()
      .Name("escalation_build_info")
      .Help("The server build: its version, the plugin ABI, gRPC and protobuf versions")
      .Register(*registry_)
      .Add({{"version", build.server_version},
            {"abi_version", build.abi_version},
            {"grpc_version", build.grpc_version},
            {"protobuf_version", build.protobuf_version}})
      .Set(1);
  for (const auto& [name, version] : build.plugins) AddPlugin(name, version);
}

void ServerMetrics::AddPlugin(const std::string& name, const std::string& version) {
  plugin_info_.Add({{"plugin", name}, {"version", version}}).Set(1);
}

ServerMetrics::~ServerMetrics() {
  if (exposer_ == nullptr) return;
  // civetweb's listening thread looks at its stop flag only between polls of
  // 2 s, which held the server's exit up; a connection ends the poll.
  std::atomic<bool> stopped{false};
  std::thread knocker([&] {
    while (!stopped.load()) {
      Knock(host_, port_);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  exposer_.reset();  // Stop scrapes before the registry goes.
  stopped = true;
  knocker.join();
}

absl::Status ServerMetrics::Serve(const std::string& address) {
  try {
    // civetweb throws when it cannot listen.
    exposer_ = std::make_unique<prometheus::Exposer>(address, 2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(decision_log_);
  exposer_->RegisterCollectable(process_);
  exposer_->RegisterCollectable(workers_);
  const std::vector<int> ports = exposer_->GetListeningPorts();
  port_ = ports.empty() ? 0 : ports.front();
  host_ = address.substr(0, address.rfind(':'));
  return absl::OkStatus();
}

void ServerMetrics::ObserveRequest(absl::string_view method, absl::StatusCode code,
                                   absl::Duration latency) {
  // The code's number in the key; its name (a string to build) only when added.
  const int number = static_cast<int>(code);
  request_counts_
      .Get(LabelKey(method, absl::string_view(reinterpret_cast<const char*>(&number),
                                              sizeof number)),
           [&] {
             return prometheus::Labels{{"method", std::string(method)},
                                       {"code", absl::StatusCodeToString(code)}};
           })
      .Increment();
  request_latencies_
      .Get(
          LabelKey(method),
          [&] { return prometheus::Labels{{"method", std::string(method)}}; },
          LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(latency));
}

void ServerMetrics::ObserveRoute(const v1::RouteRequest& request,
                                 const host::RouteAnswer& answer) {
  const int values[] = {request.call().department(), answer.action(), answer.destination()};
  const absl::string_view numbers(reinterpret_cast<const char*>(values), sizeof values);
  decision_counts_
      .Get(LabelKey(numbers),
           [&] {
             return prometheus::Labels{{"department", EnumLabel(request.call().department())},
                                       {"action", EnumLabel(answer.action())},
                                       {"destination", EnumLabel(answer.destination())}};
           })
      .Increment();
  answer.ForEachRule(
      [&](absl::string_view rule, absl::string_view plugin) { CountRule(rule, plugin); });
}

void ServerMetrics::ObserveValidation(const v1::ValidateTaskResponse& response) {
  for (const v1::Violation& violation : response.violations()) {
    CountRule(violation.rule_id(), violation.plugin());
  }
  for (const v1::Finding& finding : response.findings()) {
    CountRule(finding.rule_id(), finding.plugin());
  }
}

void ServerMetrics::CountRule(absl::string_view rule, absl::string_view plugin) {
  rule_counts_
      .Get(LabelKey(rule, plugin),
           [&] {
             return prometheus::Labels{{"rule", std::string(rule)},
                                       {"plugin", std::string(plugin)}};
           })
      .Increment();
}

void ServerMetrics::ObservePluginCall(absl::string_view plugin, absl::string_view call,
                                      absl::Duration latency, bool ok) {
  const absl::string_view key = LabelKey(plugin, call);
  auto labels = [&] {
    return prometheus::Labels{{"plugin", std::string(plugin)}, {"call", std::string(call)}};
  };
  // The error counter's key is the same: the two lookups use it in turn.
  if (!ok) plugin_error_counts_.Get(key, labels).Increment();
  plugin_latencies_.Get(key, labels, LatencyBuckets()).Observe(absl::ToDoubleSeconds(latency));
}

void ServerMetrics::ObserveDrainCall(absl::string_view outcome) {
  // Rare (only while stopping): the family's own lookup is cheap enough.
  drain_calls_.Add({{"outcome", std::string(outcome)}}).Increment();
}

void ServerMetrics::WatchDecisionLog(const DecisionLog* log) { decision_log_->set_log(log); }

std::string ServerMetrics::Scrape() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  for (auto& family : decision_log_->Collect()) families.push_back(std::move(family));
  for (auto& family : process_->Collect()) families.push_back(std::move(family));
  for (auto& family : workers_->Collect()) families.push_back(std::move(family));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace escalation::observability
