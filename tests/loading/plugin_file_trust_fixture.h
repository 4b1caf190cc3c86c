// What both plugin file trust tests use: a temporary plugin directory to copy
// test plugins into, the matcher of a refusal, and sha256sum's own digest.
#ifndef ESCALATION_TESTS_LOADING_PLUGIN_FILE_TRUST_FIXTURE_H_
#define ESCALATION_TESTS_LOADING_PLUGIN_FILE_TRUST_FIXTURE_H_

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/loading/plugin_file_trust.h"
#include "tests/support/paths.h"

namespace escalation::host::trust_test {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using test::TestPlugin;

// sha256sum's own output for `file` (run in its directory), one line.
inline std::string Sha256sumLine(const std::string& file) {
  const fs::path path(file);
  const std::string command = "cd '" + path.parent_path().string() + "' && sha256sum '" +
                              path.filename().string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  char line[512] = {};
  if (pipe != nullptr) {
    EXPECT_NE(fgets(line, sizeof line, pipe), nullptr) << command;
    pclose(pipe);
  }
  return line;
}

class PluginFileTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/plugin_trust_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ + "/plugins";
    ASSERT_EQ(mkdir(dir_.c_str(), 0755), 0);
    ASSERT_EQ(chmod(root_.c_str(), 0755), 0);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Copies a test plugin into `dir` (the plugin directory by default).
  std::string Copy(const std::string& plugin, const std::string& dir = "", mode_t mode = 0644) {
    const std::string to = (dir.empty() ? dir_ : dir) + "/" + plugin;
    fs::copy_file(TestPlugin(plugin), to, fs::copy_options::overwrite_existing);
    EXPECT_EQ(chmod(to.c_str(), mode), 0);
    return to;
  }

  absl::Status ResolveDir(const std::string& allowlist = "") {
    TrustOptions options;
    options.plugin_dirs = {dir_};
    options.allowlist_path = allowlist;
    return ResolveTrustedPluginFiles(options).status();
  }
  absl::Status ResolvePath(const std::string& path) {
    TrustOptions options;
    options.plugin_paths = {path};
    return ResolveTrustedPluginFiles(options).status();
  }

  std::string root_;
  std::string dir_;
};

MATCHER_P2(RefusedWith, file, reason, "") {
  return arg.code() == absl::StatusCode::kFailedPrecondition &&
         ::testing::ExplainMatchResult(AllOf(HasSubstr(file), HasSubstr(reason)),
                                       std::string(arg.message()), result_listener);
}

}  // namespace escalation::host::trust_test

#endif  // ESCALATION_TESTS_LOADING_PLUGIN_FILE_TRUST_FIXTURE_H_
