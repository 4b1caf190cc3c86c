// The server process refuses, at start-up and naming the file, a plugin the
// loader may not trust (docs/architecture.md, Plugin files and trust), and starts with one it may. Once started
// it runs only the bytes it checked: a plugin file replaced under the running
// server (renamed over, or written in place) never answers, whatever becomes
// of its workers. Its public API names plugin files, not where they are.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/loading/plugin_file_trust.h"
#include "tests/e2e/load_counter.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"
#include "tests/support/worker_processes.h"

namespace escalation {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

std::string WriteAllowlist(const std::string& line) {
  const std::string path = ::testing::TempDir() + "/allowlist_" + std::to_string(getpid());
  std::ofstream(path) << line << "\n";
  return path;
}

TEST(StartupTrustTest, AnAllowlistedPluginStartsAndADifferentDigestStopsStartUp) {
  const std::string plugin = test::TestPlugin("test_good_a.so");
  auto digest = host::Sha256OfFile(plugin);
  ASSERT_TRUE(digest.ok()) << digest.status();

  auto allowed = test::ServerProcess::Start(
      {"--plugins=" + plugin, "--plugin_allowlist=" + WriteAllowlist(*digest + "  test_good_a.so")});
  ASSERT_TRUE(allowed.ok()) << allowed.status();

  std::string other = *digest;
  other[0] = other[0] == '0' ? '1' : '0';
  auto refused = test::ServerProcess::Start(
      {"--plugins=" + plugin, "--plugin_allowlist=" + WriteAllowlist(other + "  test_good_a.so")});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("server exited with 1"));
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr(plugin + ": its SHA-256 " + *digest + " differs from " + other +
                        " on the allow-list"));
}

TEST(StartupTrustTest, ARelativePluginPathStopsStartUp) {
  auto refused = test::ServerProcess::Start({"--plugins=plugins/test_good_a.so"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("server exited with 1"));
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("plugins/test_good_a.so: is a relative path; give an absolute path"));
}

// ---- A plugin file replaced under a running server ----

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// What Route answers came from, counted per answer: the version the answering
// plugin code names itself (extensions.code_version) and the version the
// server credits its rules with.
struct Answers {
  std::map<std::string, int> code_versions;
  std::map<std::string, int> credited_versions;
  test::Outcomes outcomes;
};

void Route(v1::RoutingService::Stub& stub, int calls, Answers* answers) {
  for (int i = 0; i < calls; ++i) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    v1::RouteResponse response;
    const grpc::Status status =
        stub.Route(&context, test::CallFor(v1::CUSTOMER_SERVICE, v1::REASON_UNSPECIFIED), &response);
    answers->outcomes.Add(status);
    if (!status.ok()) continue;
    const auto& fields = response.decision().extensions().fields();
    const auto code = fields.find("code_version");
    ++answers->code_versions[code == fields.end() ? "none" : code->second.string_value()];
    for (const v1::MatchedRule& rule : response.decision().matched_rules()) {
      ++answers->credited_versions[rule.plugin_version()];
    }
  }
}

// Kills `pids` with SIGKILL and waits (at most 10 s) until none runs: each is
// gone or a zombie its parent has yet to reap.
void KillAndWait(const std::set<int>& pids) {
  for (int pid : pids) ASSERT_EQ(kill(pid, SIGKILL), 0) << pid;
  const absl::Time limit = absl::Now() + absl::Seconds(10);
  for (int pid : pids) {
    for (;;) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string text((std::istreambuf_iterator<char>(stat)), {});
      const size_t paren = text.rfind(')');
      if (paren == std::string::npos || text.substr(paren + 2, 1) == "Z") break;
      ASSERT_LT(absl::Now(), limit) << "worker " << pid << " still runs after SIGKILL";
      absl::SleepFor(absl::Milliseconds(5));
    }
  }
}

// Version 1 of the "versioned" plugin, with its configuration, in a
// directory of its own.
class PluginInDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/replaced_plugin_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = fs::canonical(pattern).string();
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
    plugin_ = dir_ + "/versioned.so";
    fs::copy_file(test::TestPlugin("test_versioned_v1.so"), plugin_);
    ASSERT_EQ(chmod(plugin_.c_str(), 0644), 0);
    std::ofstream(dir_ + "/versioned.json") << R"({"greeting": "Hi"})";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  std::string plugin_;
};

enum class Replacement { kRenamedOver, kWrittenInPlace };

class ReplacedPluginFileTest
    : public PluginInDirTest,
      public ::testing::WithParamInterface<std::tuple<std::string, Replacement>> {
 protected:
  // Puts version 2's bytes where version 1's file is.
  void Replace() {
    const std::string v2 = ReadBytes(test::TestPlugin("test_versioned_v2.so"));
    if (std::get<1>(GetParam()) == Replacement::kRenamedOver) {
      const std::string next = plugin_ + ".new";
      std::ofstream(next, std::ios::binary) << v2;
      ASSERT_EQ(chmod(next.c_str(), 0644), 0);
      ASSERT_EQ(rename(next.c_str(), plugin_.c_str()), 0);
    } else {  // As cp does it: the same inode, truncated and written.
      std::ofstream(plugin_, std::ios::binary | std::ios::trunc) << v2;
    }
    ASSERT_EQ(ReadBytes(plugin_), v2);
  }
};

TEST_P(ReplacedPluginFileTest, EveryAnswerComesFromTheCheckedBytes) {
  const std::string& isolation = std::get<0>(GetParam());
  auto digest = host::Sha256OfFile(plugin_);
  ASSERT_TRUE(digest.ok()) << digest.status();
  const std::string allowlist = dir_ + "/allowlist";
  std::ofstream(allowlist) << *digest << "  versioned.so\n";
  auto server = test::ServerProcess::Start(
      {"--plugins=" + plugin_, "--plugin_allowlist=" + allowlist,
       "--plugin_isolation=" + isolation, "--plugin_timeout=10s",
       "--plugin_limits=versioned.quarantine_failures=1000"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials());
  auto stub = v1::RoutingService::NewStub(channel);

  Answers before;
  Route(*stub, 50, &before);
  ASSERT_THAT(before.code_versions, ElementsAre(Pair("1.0.0", 50))) << before.outcomes.Describe();

  Replace();
  Answers after;
  int killed = 0;
  if (isolation == "process") {
    // Every running worker is killed, twice over; each restart could read
    // the file. (A worker killed in the first round is restarted when a call
    // comes its way, so the second round may find fewer than two.)
    for (int round = 0; round < 2; ++round) {
      const std::set<int> workers = test::WorkerPids(plugin_, server->pid());
      ASSERT_FALSE(workers.empty()) << "round " << round;
      KillAndWait(workers);
      killed += static_cast<int>(workers.size());
      Route(*stub, 100, &after);
      const std::set<int> restarted = test::WorkerPids(plugin_, server->pid());
      for (int pid : restarted) EXPECT_EQ(workers.count(pid), 0u) << pid;
      EXPECT_FALSE(restarted.empty());
    }
  } else {
    Route(*stub, 200, &after);
  }

  // Only a call that found its worker killed may fail; every answer is
  // version 1's, by the code's own word and by the server's.
  EXPECT_LE(after.outcomes.Failed(), killed) << after.outcomes.Describe();
  const int answered = after.outcomes.Count(grpc::StatusCode::OK);
  EXPECT_GE(answered, 200 - killed);
  EXPECT_THAT(after.code_versions, ElementsAre(Pair("1.0.0", answered)))
      << "answers by the code's version, after the file was replaced";
  EXPECT_THAT(after.credited_versions, Not(::testing::Contains(Pair("2.0.0", ::testing::_))));

  auto plugins = v1::PluginService::NewStub(channel);
  grpc::ClientContext context;
  v1::ListPluginsResponse listed;
  ASSERT_TRUE(plugins->ListPlugins(&context, v1::ListPluginsRequest(), &listed).ok());
  ASSERT_EQ(listed.plugins_size(), 1);
  EXPECT_EQ(listed.plugins(0).manifest().version(), "1.0.0");
}

INSTANTIATE_TEST_SUITE_P(
    IsolationAndReplacement, ReplacedPluginFileTest,
    ::testing::Combine(::testing::Values("process", "in_process"),
                       ::testing::Values(Replacement::kRenamedOver,
                                         Replacement::kWrittenInPlace)),
    [](const auto& info) {
      return std::string(std::get<0>(info.param) == "process" ? "Process" : "InProcess") +
             (std::get<1>(info.param) == Replacement::kRenamedOver ? "RenamedOver"
                                                                    : "WrittenInPlace");
    });

// ---- What the public API says of plugin files ----

TEST_F(PluginInDirTest, ListPluginsNamesPluginFilesWithoutTheirDirectories) {
  auto server = test::ServerProcess::Start({"--plugins=" + plugin_});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::PluginService::NewStub(
      grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::ListPluginsResponse listed;
  ASSERT_TRUE(stub->ListPlugins(&context, v1::ListPluginsRequest(), &listed).ok());
  ASSERT_EQ(listed.plugins_size(), 1);
  EXPECT_EQ(listed.plugins(0).path(), "versioned.so");
  EXPECT_EQ(listed.plugins(0).config_path(), "versioned.json");
  EXPECT_THAT(listed.SerializeAsString(), Not(HasSubstr(dir_)));
}

}  // namespace
}  // namespace escalation
