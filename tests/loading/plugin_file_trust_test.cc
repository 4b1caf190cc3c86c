// The loader's trust in where a plugin file is and who can change it
// (docs/architecture.md, Plugin files and trust): the build's own plugins are
// accepted; a file or directory others can write or another user owns, a
// symlink out of the plugin directory, and a path that is not absolute and
// plain are refused, naming the file and the reason. Mode and owner cases
// work on copies in a temporary directory.
#include "server/loading/plugin_file_trust.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/loading/plugin_file_trust_fixture.h"

namespace escalation::host {
namespace {

namespace fs = std::filesystem;
using trust_test::PluginFileTrustTest;
using trust_test::RefusedWith;
using trust_test::Sha256sumLine;

constexpr uid_t kNobody = 65534;

#ifdef ESCALATION_HAVE_DEPARTMENT_PLUGINS
TEST(PluginFileTrust, AcceptsTheDepartmentPluginsOfTheBuildInNameOrder) {
  TrustOptions options;
  options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
  absl::StatusOr<std::vector<TrustedPluginFile>> files = ResolveTrustedPluginFiles(options);
  ASSERT_TRUE(files.ok()) << files.status();
  std::vector<std::string> names;
  for (const TrustedPluginFile& file : *files) {
    names.push_back(fs::path(file.path).filename());
    EXPECT_EQ(file.path, fs::canonical(file.path).string());
    EXPECT_EQ(Sha256sumLine(file.path).substr(0, 64), file.sha256) << file.path;
    EXPECT_TRUE(CheckElfExportsEntrySymbol(file.path, "escalation_plugin_entry_v1").ok())
        << file.path;
  }
  EXPECT_THAT(names, ::testing::ElementsAre("customer_service.so", "leadership_desk.so",
                                            "membership_services.so",
                                            "telesales_retention.so"));
}
#endif

TEST_F(PluginFileTrustTest, AcceptsACopyAndASymlinkInsideTheDirectory) {
  Copy("test_good_a.so");
  ASSERT_EQ(symlink("test_good_a.so", (dir_ + "/z_link.so").c_str()), 0);
  TrustOptions options;
  options.plugin_dirs = {dir_};
  auto files = ResolveTrustedPluginFiles(options);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[1].path, fs::canonical(dir_ + "/test_good_a.so").string());
}

TEST_F(PluginFileTrustTest, RefusesAWorldWritableFile) {
  const std::string file = Copy("test_good_a.so", "", 0646);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "the file is writable by others"));
  EXPECT_THAT(ResolvePath(file), RefusedWith(file, "the file is writable by others"));
}

TEST_F(PluginFileTrustTest, RefusesAGroupWritableFile) {
  const std::string file = Copy("test_good_a.so", "", 0664);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "the file is writable by its group"));
}

TEST_F(PluginFileTrustTest, RefusesAFileInAGroupOrWorldWritableDirectory) {
  const std::string file = Copy("test_good_a.so");
  ASSERT_EQ(chmod(dir_.c_str(), 0775), 0);
  EXPECT_THAT(ResolvePath(file), RefusedWith(file, "is writable by its group"));
  ASSERT_EQ(chmod(dir_.c_str(), 01777), 0);  // Sticky, like /tmp: still refused.
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "its directory " + fs::canonical(dir_).string() +
                                                  " is writable by others"));
}

TEST_F(PluginFileTrustTest, RefusesAFileOrDirectoryOwnedByAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown a file to nobody";
  const std::string file = Copy("test_good_a.so");
  ASSERT_EQ(chown(file.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "the file is owned by uid 65534, not by root"));
  TrustOptions options;  // Unless nobody is the server's user.
  options.plugin_dirs = {dir_};
  options.server_uid = kNobody;
  EXPECT_TRUE(ResolveTrustedPluginFiles(options).ok());

  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);
  ASSERT_EQ(chown(dir_.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "its directory " + fs::canonical(dir_).string() +
                                                  " is owned by uid 65534"));
}

TEST_F(PluginFileTrustTest, RefusesASymlinkOutOfThePluginDirectory) {
  const std::string elsewhere = root_ + "/elsewhere";
  ASSERT_EQ(mkdir(elsewhere.c_str(), 0755), 0);
  const std::string target = Copy("test_good_a.so", elsewhere);
  ASSERT_EQ(symlink(target.c_str(), (dir_ + "/innocent.so").c_str()), 0);
  EXPECT_THAT(ResolveDir(),
              RefusedWith(dir_ + "/innocent.so",
                          "resolves to " + fs::canonical(target).string() +
                              ", outside the plugin directory " + fs::canonical(dir_).string()));
}

TEST_F(PluginFileTrustTest, RefusesADanglingSymlinkAndADirectoryNamedSo) {
  ASSERT_EQ(symlink("/no/such/file.so", (dir_ + "/dangling.so").c_str()), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(dir_ + "/dangling.so", "cannot be resolved"));
  ASSERT_EQ(unlink((dir_ + "/dangling.so").c_str()), 0);
  ASSERT_EQ(mkdir((dir_ + "/sub.so").c_str(), 0755), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(dir_ + "/sub.so", "is not a regular file"));
}

TEST_F(PluginFileTrustTest, RefusesBareNamesRelativePathsAndDotDot) {
  Copy("test_good_a.so");
  EXPECT_THAT(ResolvePath("test_good_a.so"), RefusedWith("test_good_a.so", "is a bare name"));
  EXPECT_THAT(ResolvePath("plugins/test_good_a.so"),
              RefusedWith("plugins/test_good_a.so", "is a relative path"));
  EXPECT_THAT(ResolvePath("./test_good_a.so"), RefusedWith("./test_good_a.so", "relative path"));
  const std::string dotdot = dir_ + "/../plugins/test_good_a.so";
  EXPECT_THAT(ResolvePath(dotdot), RefusedWith(dotdot, "has a \"..\" component"));
  EXPECT_THAT(ResolvePath(dir_ + "/missing.so"), RefusedWith("missing.so", "cannot be resolved"));
  EXPECT_THAT(ResolvePath(dir_), RefusedWith(dir_, "is not a regular file"));
}

TEST_F(PluginFileTrustTest, AnExplicitSymlinkIsUsedAsItResolves) {
  const std::string file = Copy("test_good_a.so");
  const std::string link = root_ + "/link.so";
  ASSERT_EQ(symlink(file.c_str(), link.c_str()), 0);
  TrustOptions options;
  options.plugin_paths = {link};
  auto files = ResolveTrustedPluginFiles(options);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->at(0).path, fs::canonical(file).string());
}

}  // namespace
}  // namespace escalation::host
