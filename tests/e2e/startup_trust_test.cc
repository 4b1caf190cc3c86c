// The server process refuses, at start-up and naming the file, a plugin the
// loader may not trust (docs/architecture.md, Plugin files and trust), and
// starts with one it may.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/plugin_host/plugin_file_trust.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;

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
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr(plugin));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("allow-list"));
}

TEST(StartupTrustTest, ARelativePluginPathStopsStartUp) {
  auto refused = test::ServerProcess::Start({"--plugins=plugins/test_good_a.so"});
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("plugins/test_good_a.so"));
}

}  // namespace
}  // namespace escalation
