// SIGTERM while a client never stops sending: several connections, 128 calls
// in flight, each call classified. Every call is answered OK or refused with
// UNAVAILABLE (safe to retry elsewhere); none ends CANCELLED, none is lost,
// and the server exits 0 saying how many it answered and refused.
#include <signal.h>

#include <atomic>
#include <iostream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/load_counter.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;

constexpr int kConnections = 4;
constexpr int kInFlight = 128;

// Keeps kInFlight calls going over kConnections connections until `stop`,
// each thread sending its next call as soon as the last is answered (the
// plugin answers at once), counting every call's outcome; returns how many
// calls were sent.
int SendUntilStopped(const std::string& address, const std::atomic<bool>& stop,
                     test::Outcomes* outcomes) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < kConnections; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("escalation.test.channel", i);  // One connection each.
    channels.push_back(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args));
  }
  std::atomic<int> sent{0};
  std::vector<std::thread> callers;
  // Bounded: the server exits within seconds of the signal; 60 s is a hang.
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  for (int i = 0; i < kInFlight; ++i) {
    callers.emplace_back([&, i] {
      auto stub = v1::RoutingService::NewStub(channels[i % kConnections]);
      while (!stop.load() && absl::Now() < give_up) {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
        v1::RouteResponse response;
        ++sent;
        outcomes->Add(stub->Route(&context, test::SlowCall(0), &response));
      }
    });
  }
  for (std::thread& t : callers) t.join();
  return sent.load();
}

class SigtermUnderLoadTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SigtermUnderLoadTest, EveryCallIsAnsweredOrRefusedRetryablyNoneCancelled) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--plugin_isolation=" + GetParam(),
       "--plugin_workers=16", "--plugin_timeout=10s", "--drain_timeout=20s"});
  ASSERT_TRUE(server.ok()) << server.status();
  std::atomic<bool> stop{false};
  test::Outcomes outcomes;
  int sent = 0;
  std::thread client([&] { sent = SendUntilStopped(server->address(), stop, &outcomes); });
  absl::SleepFor(absl::Seconds(1));  // The client is at full speed.
  server->Signal(SIGTERM);
  const int exit_code = server->Wait();
  // The client goes on against the stopped server a moment: those calls are
  // refused by the closed port (UNAVAILABLE) and counted too.
  absl::SleepFor(absl::Milliseconds(200));
  stop = true;
  client.join();

  EXPECT_EQ(outcomes.Total(), sent);
  EXPECT_EQ(outcomes.Count(grpc::StatusCode::OK) + outcomes.Count(grpc::StatusCode::UNAVAILABLE),
            sent)
      << outcomes.Describe();
  EXPECT_EQ(outcomes.Count(grpc::StatusCode::CANCELLED), 0) << outcomes.Describe();
  EXPECT_GT(outcomes.Count(grpc::StatusCode::OK), 0) << outcomes.Describe();
  EXPECT_EQ(exit_code, 0) << server->output();
  // The stopped line counts the calls answered and refused during the
  // drain; each refused one reached the client as UNAVAILABLE.
  std::smatch answered, refused;
  const std::string output = server->output();
  ASSERT_TRUE(std::regex_search(output, answered, std::regex("\"answered\":([0-9]+)"))) << output;
  ASSERT_TRUE(std::regex_search(output, refused, std::regex("\"refused\":([0-9]+)"))) << output;
  EXPECT_GT(std::stoi(answered[1].str()), 0) << output;
  EXPECT_LE(std::stoi(refused[1].str()), outcomes.Count(grpc::StatusCode::UNAVAILABLE));
  std::cout << "sent " << sent << "; " << outcomes.Describe() << answered[0].str() << " "
            << refused[0].str() << "\n";
}

// An idle client connection (its client not polling, so it acknowledges the
// GOAWAY only ~5 s later) and the metrics server held the exit up 5 s and
// 2 s. Bounded, with margin for a loaded machine.
TEST(SigtermTest, AnIdleConnectionAndTheMetricsServerDoNotHoldTheExitUp) {
  auto server = test::ServerProcess::Start({"--plugins=" + test::TestPlugin("test_good_a.so"),
                                            "--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::RouteResponse response;
    ASSERT_TRUE(v1::RoutingService::NewStub(channel)
                    ->Route(&context, test::SlowCall(0), &response)
                    .ok());
  }
  const absl::Time signalled = absl::Now();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->output();
  const absl::Duration took = absl::Now() - signalled;
  EXPECT_LT(took, absl::Seconds(3)) << server->output();
  std::cout << "exited " << absl::FormatDuration(took) << " after SIGTERM\n";
}

INSTANTIATE_TEST_SUITE_P(Isolation, SigtermUnderLoadTest,
                         ::testing::Values("process", "in_process"));

}  // namespace
}  // namespace escalation
