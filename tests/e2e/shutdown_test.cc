// The server process: SIGTERM lets a call in flight finish and exits 0;
// a broken plugin stops start-up with a message naming the file.
#include <signal.h>

#include <chrono>
#include <future>
#include <thread>

#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/e2e/load_counter.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;

void ExpectGracefulStop(int signal) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--plugin_timeout=5s"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::RoutingService::NewStub(
      grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()));

  std::promise<void> sent;
  auto in_flight = std::async(std::launch::async, [&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::RouteResponse response;
    sent.set_value();
    return stub->Route(&context, test::SlowCall(1500), &response);
  });
  sent.get_future().wait();
  // Let the call reach the plugin before the signal.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  server->Signal(signal);

  grpc::Status status = in_flight.get();
  EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(server->Wait(), 0) << server->output();
  EXPECT_THAT(server->output(), HasSubstr("draining calls in flight"));
}

TEST(ShutdownTest, SigtermLetsACallInFlightFinishAndExitsZero) {
  ExpectGracefulStop(SIGTERM);
}

TEST(ShutdownTest, SigintDoesTheSame) { ExpectGracefulStop(SIGINT); }

TEST(StartupTest, ABrokenPluginStopsStartUpNamingTheFile) {
  const std::string broken = test::TestPlugin("fault_wrong_magic.so");
  auto server = test::ServerProcess::Start({"--plugins=" + broken});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("server exited with 1"));
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr(broken + ": wrong magic number"));
}

TEST(StartupTest, AMalformedPluginConfigFlagIsRefused) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--plugin_config=good_a"});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("server exited with 1"));
  EXPECT_THAT(std::string(server.status().message()),
              // As the JSON log line writes it (quotes escaped).
              HasSubstr(R"(--plugin_config: \"good_a\" is not NAME=PATH)"));
}

}  // namespace
}  // namespace escalation
