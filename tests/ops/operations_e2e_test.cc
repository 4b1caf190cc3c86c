// A real server process with the decision log and /metrics on: every answer
// names its decision-log line, SIGTERM loses no line, a line replays to the
// same decision, the metrics move, a plugin failure is logged with its
// decision id, a plugin call overrunning its deadline in process is answered
// and counted, and health says NOT_SERVING while the server winds down.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/policy_engine.h"
#include "tests/ops/http_get.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using google::protobuf::Struct;
using ::testing::HasSubstr;

Struct ParseJson(const std::string& text) {
  Struct parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text, &parsed).ok()) << text;
  return parsed;
}

std::string Json(const google::protobuf::Value& value) {
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(value, &out).ok());
  return out;
}

std::vector<Struct> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<Struct> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(ParseJson(line));
  return lines;
}

v1::RouteRequest Call(int i) {
  v1::RouteRequest request;
  request.mutable_call()->set_call_id("call-" + std::to_string(i));
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_call()->set_customer_name("Ada Lovelace");
  const v1::Reason reasons[] = {v1::CANCEL_CONTRACT, v1::SUPERVISOR_REQUEST,
                                v1::COVERAGE_QUESTION, v1::MEDICAL_EMERGENCY};
  request.mutable_call()->add_reasons(reasons[i % 4]);
  request.mutable_evaluation_time()->set_seconds(1795446000 + 3600 * (i % 24));
  return request;
}

// Route over `channel`; the status and the decision id from the trailers.
std::pair<grpc::Status, std::string> Route(const std::shared_ptr<grpc::Channel>& channel,
                                           const v1::RouteRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::RouteResponse response;
  grpc::Status status = v1::RoutingService::NewStub(channel)->Route(&context, request, &response);
  const auto& trailers = context.GetServerTrailingMetadata();
  auto id = trailers.find("escalation-decision-id");
  return {status, id == trailers.end() ? "" : std::string(id->second.data(), id->second.size())};
}

int MetricsPort(const std::string& output) {
  const size_t at = output.find("\"event\":\"metrics_listening\"");
  EXPECT_NE(at, std::string::npos) << output;
  const size_t port = output.find("\"port\":", at);
  return std::atoi(output.c_str() + port + 7);
}

std::string TempFile(const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name + std::to_string(getpid());
  std::remove(path.c_str());
  return path;
}

TEST(OperationsE2eTest, EveryAnswerHasALineAndSigtermLosesNone) {
  const std::string log = TempFile("decisions_e2e_");
  auto server = test::ServerProcess::Start({"--plugin_dir=" ESCALATION_PLUGIN_DIR,
                                            "--decision_log=" + log,
                                            "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  constexpr int kCalls = 200;
  std::map<std::string, int> call_of_id;
  for (int i = 0; i < kCalls; ++i) {
    auto [status, id] = Route(channel, Call(i));
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(id.size(), 32u);
    call_of_id[id] = i;
  }
  ASSERT_EQ(call_of_id.size(), static_cast<size_t>(kCalls)) << "decision ids repeat";

  const std::string scrape = test::HttpGet(MetricsPort(server->output()), "/metrics")->body;
  EXPECT_EQ(test::MetricSample(scrape, "escalation_requests_total{code=\"OK\",method=\"Route\"}"),
            kCalls);
  EXPECT_GE(test::MetricSample(scrape, "escalation_plugin_call_duration_seconds_count{"
                                       "call=\"route\",plugin=\"customer_service\"}"),
            kCalls);
  EXPECT_GT(test::MetricSample(scrape, "escalation_decisions_total{action=\"TRANSFER\","
                                       "department=\"CUSTOMER_SERVICE\",destination=\"RETENTION\"}"),
            0);
  EXPECT_GT(test::MetricSample(scrape, "escalation_rule_hits_total{plugin=\"customer_service\","
                                       "rule=\"cs.retention.cancel\"}"),
            0);
  EXPECT_EQ(test::MetricSample(scrape, "escalation_plugin_info{plugin=\"customer_service\","
                                       "version=\"1.0.0\"}"),
            1);

  channel.reset();  // An open connection holds the exit back (gRPC's GOAWAY wait).
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(), 0) << server->output();
  const std::vector<Struct> lines = ReadLines(log);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kCalls));
  for (const Struct& line : lines) {
    const std::string id = line.fields().at("decision_id").string_value();
    ASSERT_EQ(call_of_id.count(id), 1u) << id;
    EXPECT_EQ(line.fields().at("call_id").string_value(), "call-" + std::to_string(call_of_id[id]));
    EXPECT_THAT(Json(line.fields().at("request")), ::testing::Not(HasSubstr("Ada")));
  }
}

TEST(OperationsE2eTest, ALineReplaysToTheSameDecision) {
  const std::string log = TempFile("decisions_replay_");
  auto server = test::ServerProcess::Start(
      {"--plugin_dir=" ESCALATION_PLUGIN_DIR, "--decision_log=" + log});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  for (int i = 0; i < 24; ++i) {
    v1::RouteRequest request = Call(i);
    request.clear_evaluation_time();  // The server's clock: the line must still say when.
    ASSERT_TRUE(Route(channel, request).first.ok());
  }
  channel.reset();  // An open connection holds the exit back (gRPC's GOAWAY wait).
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(), 0);

  host::LoadOptions load;
  load.plugin_dirs = {ESCALATION_PLUGIN_DIR};
  auto registry = host::LoadPluginRegistry(load);
  ASSERT_TRUE(registry.ok()) << registry.status();
  const host::PolicyEngine engine(*registry);
  const std::vector<Struct> lines = ReadLines(log);
  ASSERT_EQ(lines.size(), 24u);
  for (const Struct& line : lines) {
    v1::RouteRequest request;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(Json(line.fields().at("request")),
                                                            &request)
                    .ok());
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                    Json(line.fields().at("evaluation_time")), request.mutable_evaluation_time())
                    .ok());
    auto replayed = engine.Route(request, absl::InfiniteFuture());
    ASSERT_TRUE(replayed.ok()) << replayed.status();
    const v1::Decision& d = replayed->decision();
    const Struct& outcome = line.fields().at("outcome").struct_value();
    EXPECT_EQ(outcome.fields().at("action").string_value(), v1::Action_Name(d.action()));
    EXPECT_EQ(outcome.fields().at("destination").string_value(),
              v1::Decision::Destination_Name(d.destination()));
    const auto& rules = line.fields().at("rules").list_value();
    ASSERT_EQ(rules.values_size(), d.matched_rules_size());
    for (int r = 0; r < d.matched_rules_size(); ++r) {
      EXPECT_EQ(rules.values(r).struct_value().fields().at("rule_id").string_value(),
                d.matched_rules(r).rule_id());
    }
  }
}

TEST(OperationsE2eTest, APluginFailureIsLoggedWithItsDecisionIdAndCounted) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" ESCALATION_TEST_PLUGIN_DIR "/fault_error_code.so",
       "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  v1::RouteRequest request = Call(0);
  request.mutable_call()->set_department(v1::LEADERSHIP_DESK);  // What the fault plugin routes.
  auto [status, id] = Route(channel, request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL) << status.error_message();
  EXPECT_EQ(id.size(), 32u);
  const std::string scrape = test::HttpGet(MetricsPort(server->output()), "/metrics")->body;
  EXPECT_EQ(test::MetricSample(scrape, "escalation_plugin_errors_total{call=\"route\","
                                       "plugin=\"fault_error_code\"}"),
            1);
  EXPECT_EQ(test::MetricSample(scrape,
                               "escalation_requests_total{code=\"INTERNAL\",method=\"Route\"}"),
            1);
  channel.reset();  // An open connection holds the exit back (gRPC's GOAWAY wait).
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(), 0);
  bool found = false;
  for (absl::string_view text : absl::StrSplit(server->output(), '\n', absl::SkipEmpty())) {
    const Struct line = ParseJson(std::string(text));
    if (line.fields().at("event").string_value() != "plugin_failure") continue;
    found = true;
    EXPECT_EQ(line.fields().at("plugin").string_value(), "fault_error_code");
    EXPECT_EQ(line.fields().at("method").string_value(), "Route");
    EXPECT_EQ(line.fields().at("status").string_value(), "INTERNAL");
    EXPECT_EQ(line.fields().at("decision_id").string_value(), id);
    // Read when the failure needed it: there is no decision log here.
    EXPECT_THAT(line.fields().at("peer").string_value(), HasSubstr("127.0.0.1"));
    EXPECT_THAT(line.fields().at("msg").string_value(), HasSubstr("policy store unavailable"));
  }
  EXPECT_TRUE(found) << server->output();
}

// The id names a log line; without a decision log an answered call has none.
TEST(OperationsE2eTest, WithoutADecisionLogAnAnswerCarriesNoDecisionId) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" ESCALATION_TEST_PLUGIN_DIR "/test_good_a.so"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  auto [status, id] = Route(channel, Call(0));
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(id, "");
}

// In process a plugin call is not preempted: one that runs past its timeout
// is answered DEADLINE_EXCEEDED when it returns, and counted.
TEST(OperationsE2eTest, AnInProcessCallOverrunningItsTimeoutIsAnsweredDeadlineExceededAndCounted) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" ESCALATION_TEST_PLUGIN_DIR "/test_good_a.so", "--plugin_isolation=in_process",
       "--plugin_timeout=200ms", "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  v1::RouteRequest slow;
  slow.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  (*slow.mutable_call()->mutable_extensions()->mutable_fields())["sleep_ms"].set_number_value(
      600);
  const absl::Time start = absl::Now();
  const grpc::Status overran = Route(channel, slow).first;
  EXPECT_EQ(overran.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << overran.error_message();
  EXPECT_THAT(overran.error_message(),
              HasSubstr("plugin good_a did not answer route within its timeout of 200ms"));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(600));  // It ran to its end.
  slow.mutable_call()->mutable_extensions()->clear_fields();
  EXPECT_TRUE(Route(channel, slow).first.ok());
  const std::string scrape = test::HttpGet(MetricsPort(server->output()), "/metrics")->body;
  EXPECT_EQ(test::MetricSample(scrape, "escalation_plugin_calls_overran_total{plugin=\"good_a\"}"),
            1);
  EXPECT_EQ(test::MetricSample(
                scrape, "escalation_requests_total{code=\"DEADLINE_EXCEEDED\",method=\"Route\"}"),
            1);
  channel.reset();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->output();
}

TEST(OperationsE2eTest, HealthIsNotServingForEveryServiceDuringTheLameDuckWhileCallsAreAnswered) {
  auto server = test::ServerProcess::Start(
      {"--plugin_dir=" ESCALATION_PLUGIN_DIR, "--drain_lame_duck=2s"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  const std::vector<std::string> services = {"", "escalation.v1.RoutingService",
                                             "escalation.v1.TaskValidationService",
                                             "escalation.v1.PluginService"};
  for (const std::string& service : services) {
    EXPECT_EQ(*test::HealthCheck(channel, service), 1) << service;  // SERVING
  }
  server->Signal(SIGTERM);
  absl::SleepFor(absl::Milliseconds(500));
  for (const std::string& service : services) {
    EXPECT_EQ(*test::HealthCheck(channel, service), 2) << service;  // NOT_SERVING
  }
  EXPECT_TRUE(Route(channel, Call(0)).first.ok());
  channel.reset();
  EXPECT_EQ(server->Wait(), 0) << server->output();
}

}  // namespace
}  // namespace escalation
