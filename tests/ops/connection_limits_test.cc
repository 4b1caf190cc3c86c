// What client connections can do to a real server process: idle ones are
// closed after --max_connection_idle, and running out of file descriptors
// (connections beyond the limit) never leaves the server running deaf.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;

grpc::Status ListPlugins(const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  v1::ListPluginsResponse response;
  return v1::PluginService::NewStub(channel)->ListPlugins(&context, v1::ListPluginsRequest(),
                                                          &response);
}

// A fresh connection of its own (channels with the same arguments share one).
std::shared_ptr<grpc::Channel> NewConnection(const std::string& address, int n) {
  grpc::ChannelArguments args;
  args.SetInt("escalation.test.connection", n);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// A TCP connection that never says anything; -1 when none could be opened.
int IdleTcpConnection(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST(ConnectionLimitsTest, AnIdleConnectionIsClosedAfterMaxConnectionIdle) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--max_connection_idle=1s"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = NewConnection(server->address(), 0);
  ASSERT_TRUE(ListPlugins(channel, absl::Seconds(5)).ok());
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  // The server sends GOAWAY after 1 s without a call; the client's channel
  // then leaves READY. Bounded wait: 10 s.
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (channel->GetState(false) == GRPC_CHANNEL_READY && absl::Now() < give_up) {
    channel->WaitForStateChange(GRPC_CHANNEL_READY, absl::ToChronoTime(give_up));
  }
  EXPECT_NE(channel->GetState(false), GRPC_CHANNEL_READY);
  // A new call on the same channel reconnects and is served.
  EXPECT_TRUE(ListPlugins(channel, absl::Seconds(5)).ok());
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->output();
}

// With one call allowed per connection, four slow calls on one connection
// run one after another (the client queues the rest): never sooner than
// four times one call's time, however loaded the machine.
TEST(ConnectionLimitsTest, MaxConcurrentStreamsCapsTheCallsOneConnectionRuns) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--plugin_isolation=in_process",
       "--plugin_workers=4", "--plugin_timeout=5s", "--max_concurrent_streams=1"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::RoutingService::NewStub(NewConnection(server->address(), 0));
  v1::RouteRequest slow;
  slow.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  (*slow.mutable_call()->mutable_extensions()->mutable_fields())["sleep_ms"].set_number_value(
      400);
  const absl::Time start = absl::Now();
  std::vector<std::thread> calls;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    calls.emplace_back([&] {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
      v1::RouteResponse response;
      if (stub->Route(&context, slow, &response).ok()) ++ok;
    });
  }
  for (std::thread& t : calls) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(1600));
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->output();
}

// 400 connections against a server whose file limit is 256 (prlimit on the
// running process, as `prlimit --nofile` does), then all closed. gRPC 1.51
// stops accepting for good after accept() fails with EMFILE; the server
// must then serve new clients again, or exit non-zero saying why.
TEST(ConnectionLimitsTest, RunningOutOfFileDescriptorsNeverLeavesTheServerDeaf) {
  auto server = test::ServerProcess::Start({"--plugins=" + test::TestPlugin("test_good_a.so"),
                                            "--plugin_isolation=in_process",
                                            "--listener_probe_interval=1s"});
  ASSERT_TRUE(server.ok()) << server.status();
  const rlimit low{256, 256};
  ASSERT_EQ(prlimit(server->pid(), RLIMIT_NOFILE, &low, nullptr), 0);

  std::vector<int> idle;
  for (int i = 0; i < 400; ++i) {
    const int fd = IdleTcpConnection(server->port());
    if (fd >= 0) idle.push_back(fd);
  }
  EXPECT_GT(idle.size(), 256u);
  absl::SleepFor(absl::Seconds(1));  // The server accepts what it can.
  for (int fd : idle) close(fd);
  const absl::Time closed = absl::Now();

  // Served again, or exited non-zero: bounded at 30 s.
  bool served = false;
  bool exited = false;
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  for (int attempt = 1; absl::Now() < give_up && !served && !exited; ++attempt) {
    served = ListPlugins(NewConnection(server->address(), attempt), absl::Seconds(1)).ok();
    exited = server->output().find("\"event\":\"stopped\"") != std::string::npos;
    if (!served && !exited) absl::SleepFor(absl::Milliseconds(500));
  }
  std::cout << (served ? "served again" : "exited") << " " << absl::FormatDuration(absl::Now() - closed)
            << " after the connections closed\n";
  if (served) {
    server->Signal(SIGTERM);
    EXPECT_EQ(server->Wait(), 0) << server->output();
    return;
  }
  ASSERT_TRUE(exited) << "neither served nor exited 30 s after the connections closed:\n"
                      << server->output();
  EXPECT_EQ(server->Wait(), 4) << server->output();
  EXPECT_THAT(server->output(), HasSubstr("\"event\":\"listener_deaf\""));
  EXPECT_THAT(server->output(), HasSubstr("did not accept a connection"));
  std::cout << server->output();
}

}  // namespace
}  // namespace escalation
