#include "server/observability/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/text_serializer.h"

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

}  // namespace

// Read at scrape time, so the queue depth is the depth now.
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
    return {
        one("escalation_decision_log_queue_depth",
            "Decision-log records accepted and not yet written",
            prometheus::MetricType::Gauge,
            log ? static_cast<double>(log->queue_depth()) : 0),
        one("escalation_decision_log_dropped_total",
            "Decision-log records dropped because the queue was full",
            prometheus::MetricType::Counter, log ? static_cast<double>(log->dropped()) : 0),
        one("escalation_decision_log_written_total", "Decision-log lines written",
            prometheus::MetricType::Counter, log ? static_cast<double>(log->written()) : 0),
    };
  }

 private:
  std::atomic<const DecisionLog*> log_{nullptr};
};

ServerMetrics::ServerMetrics(const BuildInfo& build)
    : registry_(std::make_shared<prometheus::Registry>()),
      decision_log_(std::make_shared<DecisionLogCollector>()),
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
  exposer_.reset();  // Stop scrapes before the registry goes.
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
  const std::vector<int> ports = exposer_->GetListeningPorts();
  port_ = ports.empty() ? 0 : ports.front();
  return absl::OkStatus();
}

void ServerMetrics::ObserveRequest(absl::string_view method, absl::StatusCode code,
                                   absl::Duration latency) {
  const std::string method_name(method);
  requests_.Add({{"method", method_name}, {"code", absl::StatusCodeToString(code)}})
      .Increment();
  request_seconds_.Add({{"method", method_name}}, LatencyBuckets())
      .Observe(absl::ToDoubleSeconds(latency));
}

void ServerMetrics::ObserveRoute(const v1::RouteRequest& request,
                                 const v1::RouteResponse& response) {
  const v1::Decision& decision = response.decision();
  decisions_
      .Add({{"department", EnumLabel(request.call().department())},
            {"action", EnumLabel(decision.action())},
            {"destination", EnumLabel(decision.destination())}})
      .Increment();
  for (const v1::MatchedRule& rule : decision.matched_rules()) {
    rule_hits_.Add({{"rule", rule.rule_id()}, {"plugin", rule.plugin()}}).Increment();
  }
}

void ServerMetrics::ObserveValidation(const v1::ValidateTaskResponse& response) {
  for (const v1::Violation& violation : response.violations()) {
    rule_hits_.Add({{"rule", violation.rule_id()}, {"plugin", violation.plugin()}})
        .Increment();
  }
  for (const v1::Finding& finding : response.findings()) {
    rule_hits_.Add({{"rule", finding.rule_id()}, {"plugin", finding.plugin()}}).Increment();
  }
}

void ServerMetrics::ObservePluginCall(absl::string_view plugin, absl::string_view call,
                                      absl::Duration latency, bool ok) {
  const prometheus::Labels labels = {{"plugin", std::string(plugin)},
                                     {"call", std::string(call)}};
  plugin_seconds_.Add(labels, LatencyBuckets()).Observe(absl::ToDoubleSeconds(latency));
  if (!ok) plugin_errors_.Add(labels).Increment();
}

void ServerMetrics::WatchDecisionLog(const DecisionLog* log) { decision_log_->set_log(log); }

std::string ServerMetrics::Scrape() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  for (auto& family : decision_log_->Collect()) families.push_back(std::move(family));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace escalation::observability
