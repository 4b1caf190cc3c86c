// A real server process whose decision log is on a filesystem that fills
// (a small tmpfs): with --decision_log_overflow=drop every call is answered
// and every line the file did not take is counted; with block no call is
// answered OK without its line, the rest fail UNAVAILABLE naming the log.
// Lines name who asked and carry the caller's W3C traceparent, and /metrics
// has the process_* family for the server and each plugin worker.
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/ops/http_get.h"
#include "tests/support/server_process.h"
#include "tests/support/small_filesystem.h"

namespace escalation {
namespace {

using google::protobuf::Struct;
using ::testing::HasSubstr;

constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

std::vector<Struct> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<Struct> lines;
  for (std::string line; std::getline(in, line);) {
    Struct parsed;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
    lines.push_back(parsed);
  }
  return lines;
}

v1::RouteRequest Call(int i) {
  v1::RouteRequest request;
  request.mutable_call()->set_call_id("call-" + std::to_string(i));
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_call()->add_reasons(v1::CANCEL_CONTRACT);
  request.mutable_evaluation_time()->set_seconds(1795446000);
  return request;
}

struct Answer {
  grpc::Status status;
  std::string decision_id;
};

Answer Route(const std::shared_ptr<grpc::Channel>& channel, int i, absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.AddMetadata("traceparent", kTraceparent);
  v1::RouteResponse response;
  Answer answer;
  answer.status = v1::RoutingService::NewStub(channel)->Route(&context, Call(i), &response);
  const auto& trailers = context.GetServerTrailingMetadata();
  if (auto id = trailers.find("escalation-decision-id"); id != trailers.end()) {
    answer.decision_id.assign(id->second.data(), id->second.size());
  }
  return answer;
}

int MetricsPort(const std::string& output) {
  const size_t at = output.find("\"event\":\"metrics_listening\"");
  EXPECT_NE(at, std::string::npos) << output;
  return std::atoi(output.c_str() + output.find("\"port\":", at) + 7);
}

std::string Scrape(const test::ServerProcess& server) {
  auto response = test::HttpGet(MetricsPort(server.output()), "/metrics");
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? response->body : "";
}

TEST(DecisionLogE2eTest, DropModeKeepsAnsweringAndCountsEveryLineTheFullFileDidNotTake) {
  test::SmallFilesystem fs("64k");
  MOUNT_OR_SKIP(fs);
  fs.Fill(48 * 1024);  // 16 KiB of room left.
  const std::string log = fs.Path("decisions.jsonl");
  auto server = test::ServerProcess::Start({"--plugin_dir=" ESCALATION_PLUGIN_DIR,
                                            "--decision_log=" + log,
                                            "--decision_log_overflow=drop",
                                            "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  constexpr int kCalls = 200;  // Far more lines than 16 KiB holds.
  for (int i = 0; i < kCalls; ++i) {
    const Answer answer = Route(channel, i, absl::Seconds(20));
    ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
  }
  std::string scrape;
  for (int i = 0; i < 200; ++i) {  // Until the writer has tried every line.
    scrape = Scrape(*server);
    if (test::MetricSample(scrape, "escalation_decision_log_queue_depth") == 0) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  const std::vector<Struct> lines = ReadLines(log);
  EXPECT_GT(lines.size(), 0u);
  EXPECT_LT(lines.size(), static_cast<size_t>(kCalls));
  EXPECT_EQ(test::MetricSample(scrape, "escalation_decision_log_written_total"), lines.size());
  EXPECT_EQ(test::MetricSample(scrape, "escalation_decision_log_dropped_total"),
            kCalls - static_cast<double>(lines.size()));
  EXPECT_GT(test::MetricSample(scrape, "escalation_decision_log_write_errors_total"), 0);
  EXPECT_GT(test::MetricSample(scrape,
                               "escalation_decision_log_lost_total{reason=\"write_error\"}"),
            0);
  EXPECT_THAT(server->output(), HasSubstr("\"event\":\"decision_log_write_failed\""));
  EXPECT_THAT(server->output(), HasSubstr("No space left on device"));

  // Who asked, and the caller's trace.
  const Struct& first = lines.front();
  EXPECT_THAT(first.fields().at("peer").string_value(), HasSubstr("127.0.0.1:"));
  EXPECT_EQ(first.fields().at("traceparent").string_value(), kTraceparent);
  EXPECT_EQ(first.fields().at("trace_id").string_value(), "4bf92f3577b34da6a3ce929d0e0e4736");

  // process_* for the server and, labelled, its plugin workers.
  EXPECT_GT(test::MetricSample(scrape, "process_resident_memory_bytes"), 0);
  EXPECT_GT(test::MetricSample(scrape, "process_open_fds"), 0);
  EXPECT_GT(test::MetricSample(scrape, "process_max_fds"), 0);
  EXPECT_GT(test::MetricSample(scrape, "process_start_time_seconds"), 1.7e9);
  EXPECT_THAT(scrape, HasSubstr("process_cpu_seconds_total "));
  EXPECT_THAT(scrape, ::testing::ContainsRegex(
                          "process_resident_memory_bytes\\{pid=\"[0-9]+\",plugin_file=\""
                          "customer_service[^\"]*\"\\} [1-9]"));

  channel.reset();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->output();
}

TEST(DecisionLogE2eTest, BlockModeAnswersNoCallOkWithoutItsLineAndNamesTheLogOtherwise) {
  test::SmallFilesystem fs("64k");
  MOUNT_OR_SKIP(fs);
  fs.Fill(56 * 1024);  // 8 KiB of room left.
  const std::string log = fs.Path("decisions.jsonl");
  auto server = test::ServerProcess::Start({"--plugin_dir=" ESCALATION_PLUGIN_DIR,
                                            "--decision_log=" + log,
                                            "--decision_log_overflow=block",
                                            "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  std::set<std::string> answered_ok;
  int unavailable = 0;
  for (int i = 0; i < 200 && unavailable < 5; ++i) {
    const Answer answer = Route(channel, i, absl::Seconds(2));
    if (answer.status.ok()) {
      answered_ok.insert(answer.decision_id);
      continue;
    }
    ASSERT_EQ(answer.status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << answer.status.error_message();
    EXPECT_THAT(answer.status.error_message(), HasSubstr("decision log " + log));
    EXPECT_THAT(answer.status.error_message(), HasSubstr("No space left on device"));
    ++unavailable;
  }
  ASSERT_EQ(unavailable, 5) << "8 KiB holds fewer than 200 lines";
  std::set<std::string> stored;
  for (const Struct& line : ReadLines(log)) {
    stored.insert(line.fields().at("decision_id").string_value());
  }
  EXPECT_EQ(stored, answered_ok) << "every OK answer has its line, and only those";
  const std::string scrape = Scrape(*server);
  EXPECT_EQ(test::MetricSample(scrape, "escalation_decision_log_written_total"), stored.size());
  EXPECT_EQ(test::MetricSample(scrape, "escalation_decision_log_lost_total{reason=\"deadline\"}"),
            unavailable);
  EXPECT_GT(test::MetricSample(scrape, "escalation_decision_log_write_errors_total"), 0);
  // The request metrics count what the callers were told.
  EXPECT_EQ(test::MetricSample(scrape, "escalation_requests_total{code=\"OK\",method=\"Route\"}"),
            answered_ok.size());
  EXPECT_EQ(test::MetricSample(
                scrape, "escalation_requests_total{code=\"UNAVAILABLE\",method=\"Route\"}"),
            unavailable);

  channel.reset();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->output();
}

}  // namespace
}  // namespace escalation
