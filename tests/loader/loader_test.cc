// The loader refuses every broken plugin with a message naming the file and
// the reason, and loads good ones, including copies side by side.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/loader/plugin_loader.h"
#include "server/loading/plugin_file_trust.h"
#include "server/registry/plugin_registry.h"
#include "tests/support/plugin_calls.h"

namespace escalation::host {
namespace {

using ::testing::HasSubstr;
using ::testing::AllOf;
using test::TestPlugin;

// Every check holds whichever way the plugin runs: in process or in a
// worker process, which makes the checks itself.
class LoaderTest : public ::testing::TestWithParam<Isolation> {
 protected:
  LoadOptions Options() const { return test::OptionsFor(GetParam()); }
  absl::StatusOr<std::shared_ptr<const PluginRegistry>> LoadPaths(
      std::vector<std::string> paths) const {
    LoadOptions options = Options();
    options.plugin_paths = std::move(paths);
    return LoadPluginRegistry(options);
  }
  void ExpectRefused(const std::string& path, const std::string& reason) const;
};

// Writes `text` to a file in the test's temporary directory; returns its path.
// The name is made per process: ctest runs each isolation mode's test at once.
std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path =
      ::testing::TempDir() + "/" + std::to_string(getpid()) + "_" + name;
  FILE* f = fopen(path.c_str(), "w");
  EXPECT_NE(f, nullptr) << path;
  if (f != nullptr) {
    fputs(text.c_str(), f);
    fclose(f);
  }
  return path;
}

void LoaderTest::ExpectRefused(const std::string& file, const std::string& reason) const {
  const std::string path = TestPlugin(file);
  auto registry = LoadPaths({path});
  ASSERT_FALSE(registry.ok()) << file << " loaded";
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              AllOf(HasSubstr(path), HasSubstr(reason)));
}

TEST_P(LoaderTest, RefusesAFileThatIsNotASharedObject) {
  ExpectRefused("not_a_plugin.so", "is not an ELF file");
}

TEST_P(LoaderTest, RefusesAMissingFile) {
  ExpectRefused("no_such_plugin.so", "cannot be resolved: No such file or directory");
}

TEST_P(LoaderTest, RefusesASharedObjectWithoutTheEntrySymbol) {
  ExpectRefused("fault_no_entry.so", "does not export the entry symbol escalation_plugin_entry_v1");
}

TEST_P(LoaderTest, RefusesTheWrongMagic) {
  ExpectRefused("fault_wrong_magic.so", "wrong magic number 0xdeadbeef");
}

TEST_P(LoaderTest, RefusesAnotherAbiMajor) {
  ExpectRefused("fault_wrong_abi.so", "built for plugin ABI 2.0; this server speaks 1.x");
}

TEST_P(LoaderTest, RefusesANewerAbiMinor) {
  ExpectRefused("fault_newer_minor.so", "newer than this server's 1.2");
}

TEST_P(LoaderTest, RefusesAPluginThatRefusesItsConfiguration) {
  ExpectRefused("fault_bad_config.so",
                "refused its configuration: site \"atlantis\" has no booking_link");
}

TEST_P(LoaderTest, LoadsAGoodPluginWithItsManifest) {
  auto registry = LoadPaths({TestPlugin("test_good_a.so")});
  ASSERT_TRUE(registry.ok()) << registry.status();
  ASSERT_EQ((*registry)->plugins().size(), 1u);
  const v1::PluginInfo& info = (*registry)->plugins()[0]->info();
  EXPECT_EQ(info.manifest().name(), "good_a");
  EXPECT_EQ(info.manifest().version(), "1.0.0");
  EXPECT_EQ(info.abi_major(), 1u);
  EXPECT_EQ(info.manifest().rules_size(), 5);
  EXPECT_EQ(info.manifest().rules(0).id(), "good_a.resolve");
  EXPECT_EQ(info.manifest().rules(0).source_article(), "Test Article");
  EXPECT_EQ((*registry)->RoutersFor(v1::CUSTOMER_SERVICE).size(), 1u);
  EXPECT_TRUE((*registry)->RoutersFor(v1::MEMBERSHIP_SERVICES).empty());
}

// The descriptor-pool crash of docs/architecture.md, The plugin boundary (two
// objects with generated code for one .proto) must stay impossible: two builds
// of one plugin, both called.
TEST_P(LoaderTest, TwoCopiesOfOnePluginWorkSideBySide) {
  auto registry = LoadPaths({TestPlugin("test_good_a.so"), TestPlugin("test_good_b.so")});
  ASSERT_TRUE(registry.ok()) << registry.status();
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_call()->set_customer_name("Ada");
  for (const auto& plugin : (*registry)->plugins()) {
    auto routed = test::RouteWith(*plugin, request);
    ASSERT_TRUE(routed.ok()) << routed.status();
    ASSERT_EQ(routed->proposals_size(), 1);
    EXPECT_EQ(routed->proposals(0).decision().scripts(0).text(), "Hello Ada");
  }
}

TEST_P(LoaderTest, RefusesTwoPluginsWithOneName) {
  auto registry = LoadPaths({TestPlugin("test_good_a.so"), TestPlugin("test_good_a.so")});
  ASSERT_FALSE(registry.ok());
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              HasSubstr(": name \"good_a\" is already taken by "));
  EXPECT_THAT(std::string(registry.status().message()), HasSubstr("test_good_a.so"));
}

TEST_P(LoaderTest, RefusesTwoPluginsDeclaringOneRuleId) {
  const std::string clash = TestPlugin("test_rule_clash.so");
  auto registry = LoadPaths({TestPlugin("test_good_a.so"), clash});
  ASSERT_FALSE(registry.ok());
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              AllOf(HasSubstr(clash), HasSubstr("rule id \"good_a.resolve\" is already "
                                                "declared by plugin good_a")));
}

TEST_P(LoaderTest, RefusesTwoPluginsAdmittingForOneDestination) {
  const std::string clash = TestPlugin("test_admit_clash.so");
  auto registry = LoadPaths({TestPlugin("test_good_admitting.so"), clash});
  ASSERT_FALSE(registry.ok());
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              AllOf(HasSubstr(clash),
                    HasSubstr("admits for RETENTION, as plugin good_admitting already does")));
}

TEST_P(LoaderTest, RefusesAConfigurationForAPluginThatIsNotLoaded) {
  LoadOptions options = Options();
  options.plugin_paths = {TestPlugin("test_good_a.so")};
  options.config_paths["nobody"] = "/tmp/nobody.json";
  auto registry = LoadPluginRegistry(options);
  ASSERT_FALSE(registry.ok());
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              HasSubstr("configuration /tmp/nobody.json is for plugin \"nobody\", which is not "
                        "loaded"));
}

TEST_P(LoaderTest, RefusesAConfigurationThatIsNotJson) {
  const std::string config = WriteTempFile("broken.json", "{ not json");
  LoadOptions options = Options();
  options.plugin_paths = {TestPlugin("test_good_a.so")};
  options.config_paths["good_a"] = config;
  auto registry = LoadPluginRegistry(options);
  ASSERT_FALSE(registry.ok());
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              HasSubstr("plugin configuration " + config + " is not a JSON object"));
}

TEST_P(LoaderTest, HandsTheConfigurationToThePlugin) {
  const std::string config = WriteTempFile("good_a.json", "{\"greeting\": \"Welcome\"}");
  LoadOptions options = Options();
  options.plugin_paths = {TestPlugin("test_good_a.so")};
  options.config_paths["good_a"] = config;
  auto registry = LoadPluginRegistry(options);
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_EQ((*registry)->plugins()[0]->info().config_path(), config);
  v1::PluginRouteRequest request;
  request.mutable_call()->set_customer_name("Ada");
  auto routed = test::RouteWith(*(*registry)->plugins()[0], request);
  ASSERT_TRUE(routed.ok());
  EXPECT_EQ(routed->proposals(0).decision().scripts(0).text(), "Welcome Ada");
}

// The version the plugin's own code names in its Route answer.
std::string CodeVersion(const Plugin& plugin) {
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  auto routed = test::RouteWith(plugin, request);
  if (!routed.ok() || routed->proposals_size() == 0) return "no answer";
  const auto& fields = routed->proposals(0).decision().extensions().fields();
  auto it = fields.find("code_version");
  return it == fields.end() ? "none" : it->second.string_value();
}

TEST_P(LoaderTest, LoadsTheBytesThatWereCheckedNotTheFileAsItIsNow) {
  namespace fs = std::filesystem;
  const std::string dir = ::testing::TempDir() + "/" + std::to_string(getpid()) + "_checked";
  fs::create_directories(dir);
  ASSERT_EQ(chmod(dir.c_str(), 0755), 0);
  const std::string file = dir + "/versioned.so";
  fs::copy_file(TestPlugin("test_versioned_v1.so"), file, fs::copy_options::overwrite_existing);
  TrustOptions trust;
  trust.plugin_paths = {file};
  auto checked = ResolveTrustedPluginFiles(trust);
  ASSERT_TRUE(checked.ok()) << checked.status();

  // Version 2 written over the same inode, as cp does, after the check.
  {
    std::ifstream v2(TestPlugin("test_versioned_v2.so"), std::ios::binary);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << v2.rdbuf();
  }
  auto loaded = LoadPlugins({checked->at(0).image}, Options());
  ASSERT_EQ(loaded.size(), 1u);
  ASSERT_TRUE(loaded[0].ok()) << loaded[0].status();
  const Plugin& plugin = *loaded[0].value();
  EXPECT_EQ(plugin.version(), "1.0.0");
  EXPECT_EQ(plugin.path(), fs::canonical(file).string());
  EXPECT_EQ(CodeVersion(plugin), "1.0.0");

  // The file as it is now loads as what it is now.
  auto now = LoadPlugin(file, Options());
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ((*now)->version(), "2.0.0");
  EXPECT_EQ(CodeVersion(**now), "2.0.0");
  fs::remove_all(dir);
}

TEST_P(LoaderTest, RefusesAPluginDirectoryThatDoesNotExist) {
  LoadOptions options = Options();
  options.plugin_dirs = {"/no/such/dir"};
  auto registry = LoadPluginRegistry(options);
  ASSERT_FALSE(registry.ok());
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              HasSubstr("plugin directory /no/such/dir cannot be resolved"));
}

INSTANTIATE_TEST_SUITE_P(
    Isolation, LoaderTest,
    ::testing::Values(Isolation::kDirect, Isolation::kInProcess, Isolation::kProcess),
    [](const auto& info) { return test::IsolationName(info.param); });

}  // namespace
}  // namespace escalation::host
