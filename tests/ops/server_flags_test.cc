// The server binary's own surface: --version, --help, start-up without
// plugins, SIGHUP, and the structured log lines it writes.
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "server/loading/plugin_file_trust.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct ProgramRun {
  int exit_code;
  std::string output;  // stdout and stderr.
};

ProgramRun RunServer(const std::vector<std::string>& args) {
  const std::string command =
      std::string(ESCALATION_SERVER_BINARY) + " " + absl::StrJoin(args, " ") + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  ProgramRun run{-1, ""};
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The log lines whose "event" is `event`, parsed.
std::vector<google::protobuf::Struct> Events(const std::string& output,
                                             const std::string& event) {
  std::vector<google::protobuf::Struct> found;
  for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct parsed;
    if (!google::protobuf::util::JsonStringToMessage(std::string(line), &parsed).ok()) {
      ADD_FAILURE() << "not a JSON log line: " << line;
      continue;
    }
    if (parsed.fields().at("event").string_value() == event) found.push_back(parsed);
  }
  return found;
}

TEST(ServerFlagsTest, VersionNamesTheProjectAbiGrpcAndProtobufVersions) {
  const ProgramRun run = RunServer({"--version"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.output, HasSubstr("escalation-server 1.0.0\n"));
  EXPECT_THAT(run.output, HasSubstr("plugin ABI 1.2\n"));
  EXPECT_THAT(run.output, HasSubstr("gRPC 1."));
  EXPECT_THAT(run.output, HasSubstr("protobuf 3."));
}

TEST(ServerFlagsTest, HelpListsTheServersOwnFlags) {
  const ProgramRun run = RunServer({"--help"});
  EXPECT_THAT(run.output, Not(HasSubstr("No flags matched")));
  for (const char* flag : {"--listen", "--plugin_dir", "--decision_log", "--metrics_listen",
                           "--tls_cert", "--tls_client_ca", "--log_level", "--allow_no_plugins"}) {
    EXPECT_THAT(run.output, HasSubstr(std::string(flag) + " (")) << flag;
  }
}

TEST(ServerFlagsTest, StartUpFailsWithNoPluginLoadedUnlessAllowed) {
  const std::string empty = ::testing::TempDir() + "/no_plugins_here";
  std::filesystem::create_directories(empty);
  const ProgramRun refused = RunServer({"--listen=127.0.0.1:0", "--plugin_dir=" + empty});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.output, HasSubstr("no plugin loaded from --plugin_dir " + empty));
  EXPECT_THAT(refused.output, HasSubstr("--allow_no_plugins"));

  auto allowed = test::ServerProcess::Start({"--plugin_dir=" + empty, "--allow_no_plugins"});
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  allowed->Signal(SIGTERM);
  EXPECT_EQ(allowed->Wait(), 0);
}

TEST(ServerFlagsTest, SighupIsLoggedAndIgnored) {
  auto server = test::ServerProcess::Start({"--plugins=" + test::TestPlugin("test_good_a.so")});
  ASSERT_TRUE(server.ok()) << server.status();
  // One at a time: two pending SIGHUPs would be delivered as one.
  for (int i = 0; i < 2; ++i) {
    server->Signal(SIGHUP);
    absl::SleepFor(absl::Milliseconds(200));
    auto health = test::HealthCheck(
        grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()), "");
    ASSERT_TRUE(health.ok()) << health.status();
    EXPECT_EQ(*health, 1);  // SERVING: still up after the SIGHUP.
  }
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0);
  EXPECT_EQ(Events(server->output(), "sighup_ignored").size(), 2u) << server->output();
}

TEST(ServerFlagsTest, LogsEachPluginWithItsDigestAndTheLifecycleAsJsonLines) {
  const std::string plugin = test::TestPlugin("test_good_a.so");
  auto server = test::ServerProcess::Start({"--plugins=" + plugin});
  ASSERT_TRUE(server.ok()) << server.status();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0);
  const auto loaded = Events(server->output(), "plugin_loaded");
  ASSERT_EQ(loaded.size(), 1u) << server->output();
  EXPECT_EQ(loaded[0].fields().at("plugin").string_value(), "good_a");
  EXPECT_EQ(loaded[0].fields().at("path").string_value(), plugin);
  EXPECT_GT(loaded[0].fields().at("rules").number_value(), 0);
  EXPECT_EQ(loaded[0].fields().at("sha256").string_value(),
            *host::Sha256OfFile(plugin));
  for (const char* event : {"listening", "draining", "stopped"}) {
    EXPECT_EQ(Events(server->output(), event).size(), 1u) << event;
  }
}

TEST(ServerFlagsTest, BadOperationsFlagsStopStartUpNamingTheFlag) {
  const std::string plugin = "--plugins=" + test::TestPlugin("test_good_a.so");
  EXPECT_THAT(RunServer({plugin, "--log_level=loud"}).output, HasSubstr("--log_level:"));
  EXPECT_THAT(RunServer({plugin, "--decision_log=-", "--decision_log_mask=call.nope"}).output,
              HasSubstr("--decision_log_mask: mask \\\"call.nope\\\""));
  EXPECT_THAT(RunServer({plugin, "--decision_log=-", "--decision_log_overflow=spill"}).output,
              HasSubstr("--decision_log_overflow:"));
  EXPECT_THAT(RunServer({plugin, "--metrics_listen=256.0.0.1:1"}).output,
              HasSubstr("--metrics_listen: cannot serve metrics on 256.0.0.1:1"));
}

// gRPC turns SO_REUSEPORT on by default: a second server on the same port
// started and took part of the traffic.
TEST(ServerFlagsTest, ASecondServerOnAPortInUseFailsToStart) {
  const std::string plugin = "--plugins=" + test::TestPlugin("test_good_a.so");
  auto first = test::ServerProcess::Start({plugin});
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = test::ServerProcess::Start({plugin, "--listen=" + first->address()});
  ASSERT_FALSE(second.ok()) << "a second server started on " << first->address();
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(second.status().message(), HasSubstr("server exited with 1"));
  EXPECT_THAT(second.status().message(),
              HasSubstr("cannot listen on " + first->address() +
                        ": another server already listens on that port"));
}

TEST(ServerFlagsTest, NegativeConnectionLimitsStopStartUpNamingTheFlag) {
  const std::string plugin = "--plugins=" + test::TestPlugin("test_good_a.so");
  EXPECT_THAT(RunServer({plugin, "--max_connection_idle=-1s"}).output,
              HasSubstr("--max_connection_idle: must not be negative"));
  EXPECT_THAT(RunServer({plugin, "--max_concurrent_streams=0"}).output,
              HasSubstr("--max_concurrent_streams: must be at least 1"));
}

}  // namespace
}  // namespace escalation
