// A drain that loses nothing: SIGTERM in the middle of 128 calls in flight,
// each plugin call slow on purpose, and every accepted call is counted. In
// both isolation modes.
#include <signal.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/load_counter.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;

constexpr int kInFlight = 128;

// Starts kInFlight calls at once, sends `signal` once all have been sent,
// and counts how each ended.
void SignalAmidCalls(test::ServerProcess& server, int signal, int sleep_ms,
                     test::Outcomes* outcomes) {
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  auto stub = v1::RoutingService::NewStub(channel);
  ASSERT_TRUE(channel->WaitForConnected(absl::ToChronoTime(absl::Now() + absl::Seconds(5))));
  std::atomic<int> sent{0};
  std::vector<std::thread> calls;
  for (int i = 0; i < kInFlight; ++i) {
    calls.emplace_back([&] {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
      v1::RouteResponse response;
      const v1::RouteRequest request = test::SlowCall(sleep_ms);
      ++sent;
      outcomes->Add(stub->Route(&context, request, &response));
    });
  }
  while (sent.load() < kInFlight) absl::SleepFor(absl::Milliseconds(1));
  // Every call is on the wire and most wait in the plugin's queue.
  absl::SleepFor(absl::Milliseconds(100));
  server.Signal(signal);
  for (std::thread& t : calls) t.join();
}

class DrainTest : public ::testing::TestWithParam<std::string> {
 protected:
  // In process a plugin call runs on the gRPC thread that received it, so of
  // 128 slow calls most wait inside gRPC for a thread, not in the server,
  // and gRPC's shutdown cancels those: the drain answers every call that
  // reached a handler (SigtermUnderLoadTest holds that in both modes).
  bool SlowCallsWaitInsideGrpc() const { return GetParam() == "in_process"; }

  absl::StatusOr<test::ServerProcess> Start(const std::string& drain_timeout) {
    return test::ServerProcess::Start(
        {"--plugins=" + test::TestPlugin("test_good_a.so"),
         "--plugin_isolation=" + GetParam(), "--plugin_workers=16",
         "--plugin_timeout=20s", "--drain_timeout=" + drain_timeout});
  }
};

TEST_P(DrainTest, SigtermAmid128CallsAnswersEveryOneAndExitsZero) {
  if (SlowCallsWaitInsideGrpc()) GTEST_SKIP() << "slow calls wait inside gRPC in process";
  auto server = Start("20s");
  ASSERT_TRUE(server.ok()) << server.status();
  test::Outcomes outcomes;
  // 128 calls of 250 ms on 16 workers: the last is answered ~2 s after the signal.
  SignalAmidCalls(*server, SIGTERM, 250, &outcomes);
  EXPECT_EQ(outcomes.Total(), kInFlight);
  EXPECT_EQ(outcomes.Count(grpc::StatusCode::OK), kInFlight) << outcomes.Describe();
  EXPECT_EQ(server->Wait(), 0) << server->output();
  EXPECT_THAT(server->output(), HasSubstr("every accepted call was answered"));
}

TEST_P(DrainTest, SigintDrainsTheSameWay) {
  if (SlowCallsWaitInsideGrpc()) GTEST_SKIP() << "slow calls wait inside gRPC in process";
  auto server = Start("20s");
  ASSERT_TRUE(server.ok()) << server.status();
  test::Outcomes outcomes;
  SignalAmidCalls(*server, SIGINT, 100, &outcomes);
  EXPECT_EQ(outcomes.Count(grpc::StatusCode::OK), kInFlight) << outcomes.Describe();
  EXPECT_EQ(server->Wait(), 0) << server->output();
}

// Calls still running at the drain deadline are cancelled, and the exit
// status says the drain was not clean.
TEST_P(DrainTest, CallsPastTheDrainDeadlineAreCancelledAndTheExitStatusSaysSo) {
  auto server = Start("500ms");
  ASSERT_TRUE(server.ok()) << server.status();
  test::Outcomes outcomes;
  SignalAmidCalls(*server, SIGTERM, 3000, &outcomes);
  EXPECT_EQ(outcomes.Total(), kInFlight);
  EXPECT_EQ(outcomes.Count(grpc::StatusCode::OK), 0) << outcomes.Describe();
  EXPECT_EQ(server->Wait(), 3) << server->output();
  EXPECT_THAT(server->output(), HasSubstr("were still running at the drain deadline"));
}

INSTANTIATE_TEST_SUITE_P(Isolation, DrainTest, ::testing::Values("process", "in_process"));

}  // namespace
}  // namespace escalation
