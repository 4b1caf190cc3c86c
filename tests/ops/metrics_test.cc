#include "server/observability/metrics.h"

#include <cstdio>
#include <ctime>
#include <string>

#include "absl/time/clock.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ops/http_get.h"

namespace escalation::observability {
namespace {

using ::testing::HasSubstr;

BuildInfo SampleBuild() {
  return BuildInfo{"1.0.0", "1.0", "1.51.1", "3.21.12", {{"customer_service", "1.2.0"}}};
}

double Sample(const std::string& scrape, const std::string& series) {
  return test::MetricSample(scrape, series);
}

std::string ScrapeOverHttp(int port) {
  auto response = test::HttpGet(port, "/metrics");
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return "";
  EXPECT_EQ(response->status, 200);
  return response->body;
}

TEST(MetricsTest, ServesBuildInfoAndValuesThatMoveOverHttp) {
  ServerMetrics metrics(SampleBuild());
  ASSERT_TRUE(metrics.Serve("127.0.0.1:0").ok());
  ASSERT_GT(metrics.port(), 0);

  const std::string before = ScrapeOverHttp(metrics.port());
  EXPECT_EQ(Sample(before, "escalation_build_info{abi_version=\"1.0\",grpc_version=\"1.51.1\","
                           "protobuf_version=\"3.21.12\",version=\"1.0.0\"}"),
            1);
  EXPECT_EQ(Sample(before, "escalation_plugin_info{plugin=\"customer_service\",version=\"1.2.0\"}"),
            1);
  EXPECT_EQ(Sample(before, "escalation_decision_log_queue_depth"), 0);
  EXPECT_EQ(Sample(before, "escalation_requests_total{code=\"OK\",method=\"Route\"}"), -1);

  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  v1::RouteResponse response;
  response.mutable_decision()->set_action(v1::TRANSFER);
  response.mutable_decision()->set_destination(v1::Decision::RETENTION);
  v1::MatchedRule* rule = response.mutable_decision()->add_matched_rules();
  rule->set_rule_id("cs.retention.cancel");
  rule->set_plugin("customer_service");
  for (int i = 0; i < 3; ++i) {
    metrics.ObserveRequest("Route", absl::StatusCode::kOk, absl::Microseconds(30));
    metrics.ObserveRoute(request, host::RouteAnswer(&response));
  }
  metrics.ObserveRequest("Route", absl::StatusCode::kInternal, absl::Milliseconds(2));
  v1::ValidateTaskResponse validation;
  v1::Violation* violation = validation.add_violations();
  violation->set_rule_id("ms.t2.category");
  violation->set_plugin("membership_services");
  metrics.ObserveValidation(validation);
  metrics.ObservePluginCall("customer_service", "route", absl::Microseconds(20), true);
  metrics.ObservePluginCall("customer_service", "route", absl::Microseconds(20), false);

  const std::string after = ScrapeOverHttp(metrics.port());
  EXPECT_EQ(Sample(after, "escalation_requests_total{code=\"OK\",method=\"Route\"}"), 3);
  EXPECT_EQ(Sample(after, "escalation_requests_total{code=\"INTERNAL\",method=\"Route\"}"), 1);
  EXPECT_EQ(Sample(after, "escalation_request_duration_seconds_count{method=\"Route\"}"), 4);
  EXPECT_EQ(Sample(after, "escalation_request_duration_seconds_bucket{method=\"Route\",le=\"5e-05\"}"),
            3);
  EXPECT_EQ(Sample(after, "escalation_decisions_total{action=\"TRANSFER\","
                          "department=\"CUSTOMER_SERVICE\",destination=\"RETENTION\"}"),
            3);
  EXPECT_EQ(Sample(after, "escalation_rule_hits_total{plugin=\"customer_service\","
                          "rule=\"cs.retention.cancel\"}"),
            3);
  EXPECT_EQ(Sample(after, "escalation_rule_hits_total{plugin=\"membership_services\","
                          "rule=\"ms.t2.category\"}"),
            1);
  EXPECT_EQ(Sample(after, "escalation_plugin_call_duration_seconds_count{call=\"route\","
                          "plugin=\"customer_service\"}"),
            2);
  EXPECT_EQ(Sample(after, "escalation_plugin_errors_total{call=\"route\","
                          "plugin=\"customer_service\"}"),
            1);
}

// The metrics are found again by their label values; a rule id comes from a
// plugin and may hold any byte, so two label sets that join to the same bytes
// must still be two series.
TEST(MetricsTest, LabelSetsStayApartWhateverBytesTheirValuesHold) {
  ServerMetrics metrics(SampleBuild());
  v1::ValidateTaskResponse validation;
  v1::Violation* first = validation.add_violations();
  first->set_rule_id(std::string("a\x1f") + "b");
  first->set_plugin("c");
  v1::Violation* second = validation.add_violations();
  second->set_rule_id("a");
  second->set_plugin(std::string("b\x1f") + "c");
  metrics.ObserveValidation(validation);
  const std::string scrape = metrics.Scrape();
  EXPECT_EQ(Sample(scrape, std::string("escalation_rule_hits_total{plugin=\"c\",rule=\"a\x1f") +
                               "b\"}"),
            1);
  EXPECT_EQ(Sample(scrape, std::string("escalation_rule_hits_total{plugin=\"b\x1f") +
                               "c\",rule=\"a\"}"),
            1);
}

TEST(MetricsTest, ReportsTheWatchedDecisionLogAtScrapeTime) {
  ServerMetrics metrics(SampleBuild());
  DecisionLogOptions options;
  options.path = ::testing::TempDir() + "/metrics_decisions.jsonl";
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok());
  metrics.WatchDecisionLog(log->get());
  DecisionRecord record;
  record.decision_id = "d";
  record.method = "Route";
  record.request = std::make_unique<v1::RouteRequest>();
  (*log)->Submit(std::move(record));
  (*log)->Close();
  const std::string scrape = metrics.Scrape();
  EXPECT_EQ(Sample(scrape, "escalation_decision_log_written_total"), 1);
  EXPECT_EQ(Sample(scrape, "escalation_decision_log_dropped_total"), 0);
  metrics.WatchDecisionLog(nullptr);
}

TEST(MetricsTest, ReportsWriteErrorsAndLinesLostByReason) {
  ServerMetrics metrics(SampleBuild());
  DecisionLogOptions options;
  options.path = "/dev/full";
  std::FILE* discard = std::tmpfile();
  Logger quiet(discard);
  options.logger = &quiet;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok());
  metrics.WatchDecisionLog(log->get());
  for (int i = 0; i < 3; ++i) {
    DecisionRecord record;
    record.decision_id = "d";
    record.method = "Route";
    record.request = std::make_unique<v1::RouteRequest>();
    (*log)->Submit(std::move(record));
  }
  (*log)->Close();
  const std::string scrape = metrics.Scrape();
  EXPECT_EQ(Sample(scrape, "escalation_decision_log_written_total"), 0);
  EXPECT_EQ(Sample(scrape, "escalation_decision_log_dropped_total"), 3);
  EXPECT_GT(Sample(scrape, "escalation_decision_log_write_errors_total"), 0);
  EXPECT_EQ(Sample(scrape, "escalation_decision_log_lost_total{reason=\"write_error\"}"), 3);
  EXPECT_EQ(Sample(scrape, "escalation_decision_log_lost_total{reason=\"queue_full\"}"), 0);
  metrics.WatchDecisionLog(nullptr);
  std::fclose(discard);
}

TEST(MetricsTest, ServesTheProcessFamilyForTheServer) {
  // Spend 30 ms of CPU, so the counter (in clock ticks) has moved.
  while (std::clock() < CLOCKS_PER_SEC * 3 / 100) {
  }
  ServerMetrics metrics(SampleBuild());
  const std::string scrape = metrics.Scrape();
  EXPECT_GT(Sample(scrape, "process_cpu_seconds_total"), 0);
  EXPECT_GT(Sample(scrape, "process_resident_memory_bytes"), 1e6);
  EXPECT_GT(Sample(scrape, "process_virtual_memory_bytes"), 1e6);
  EXPECT_GE(Sample(scrape, "process_open_fds"), 3);
  EXPECT_GE(Sample(scrape, "process_max_fds"), Sample(scrape, "process_open_fds"));
  const double started = Sample(scrape, "process_start_time_seconds");
  EXPECT_LE(started, absl::ToUnixSeconds(absl::Now()) + 1);
  EXPECT_GT(started, absl::ToUnixSeconds(absl::Now()) - 3600);
}

TEST(MetricsTest, CountsCallsAnsweredAndRefusedDuringADrain) {
  ServerMetrics metrics(SampleBuild());
  metrics.ObserveDrainCall("answered");
  metrics.ObserveDrainCall("refused");
  metrics.ObserveDrainCall("refused");
  const std::string scrape = metrics.Scrape();
  EXPECT_EQ(Sample(scrape, "escalation_drain_calls_total{outcome=\"answered\"}"), 1);
  EXPECT_EQ(Sample(scrape, "escalation_drain_calls_total{outcome=\"refused\"}"), 2);
}

TEST(MetricsTest, AnAddressItCannotListenOnIsAnErrorNamingIt) {
  ServerMetrics first(SampleBuild());
  ASSERT_TRUE(first.Serve("127.0.0.1:0").ok());
  ServerMetrics second(SampleBuild());
  const std::string taken = "127.0.0.1:" + std::to_string(first.port());
  absl::Status status = second.Serve(taken);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("cannot serve metrics on " + taken));
}

}  // namespace
}  // namespace escalation::observability
