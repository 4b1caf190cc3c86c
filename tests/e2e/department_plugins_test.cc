// Every department plugin in the plugin directory, loaded twice over in one
// process (a copy of each file under another name, so the dynamic loader maps
// it a second time): the descriptor-pool crash (docs/architecture.md, The
// plugin boundary) must stay impossible, and both copies must answer alike.
// Also: the set of plugins tools/run serves loads as one registry (names, rule
// ids and admitters are unique).
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/plugin_host/plugin_registry.h"
#include "tests/support/plugin_calls.h"

namespace escalation::host {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> DepartmentPlugins() {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(ESCALATION_PLUGIN_DIR)) {
    if (entry.path().extension() == ".so") found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

TEST(DepartmentPluginsTest, AllFourLoadAsOneRegistry) {
  LoadOptions options;
  options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
  auto registry = PluginRegistry::Load(options);
  ASSERT_TRUE(registry.ok()) << registry.status();
  std::vector<std::string> names;
  for (const auto& plugin : (*registry)->plugins()) {
    names.push_back(plugin->name());
    EXPECT_GT(plugin->info().manifest().rules_size(), 0) << plugin->name();
    for (const v1::RuleInfo& rule : plugin->info().manifest().rules()) {
      EXPECT_FALSE(rule.title().empty()) << rule.id();
      EXPECT_FALSE(rule.source_article().empty()) << rule.id();
    }
  }
  EXPECT_THAT(names, ::testing::IsSupersetOf({"customer_service", "leadership_desk",
                                              "membership_services",
                                              "telesales_retention"}));
  for (v1::Department d : {v1::CUSTOMER_SERVICE, v1::TELESALES_RETENTION,
                           v1::MEMBERSHIP_SERVICES}) {
    EXPECT_FALSE((*registry)->RoutersFor(d).empty()) << v1::Department_Name(d);
  }
}

TEST(DepartmentPluginsTest, EachLoadsTwiceOverAndBothCopiesAnswerAlike) {
  const std::vector<fs::path> plugins = DepartmentPlugins();
  ASSERT_GE(plugins.size(), 4u);
  const fs::path copies = fs::path(::testing::TempDir()) / "plugin_copies";
  fs::create_directories(copies);

  std::vector<std::unique_ptr<Plugin>> loaded;
  for (const fs::path& original : plugins) {
    const fs::path copy = copies / (original.stem().string() + "_copy.so");
    fs::copy_file(original, copy, fs::copy_options::overwrite_existing);
    // The configuration beside the original serves both copies.
    auto image = PluginImage::CopyFile(original.string());
    ASSERT_TRUE(image.ok()) << image.status();
    auto name = LoadedPlugin::PeekName(*image);
    ASSERT_TRUE(name.ok()) << name.status();
    LoadOptions options;
    const fs::path config = original.parent_path() / (*name + ".json");
    if (fs::exists(config)) options.config_paths[*name] = config.string();
    for (const fs::path& path : {original, copy}) {
      auto plugin = PluginRegistry::LoadPlugin(path.string(), options);
      ASSERT_TRUE(plugin.ok()) << plugin.status();
      loaded.push_back(*std::move(plugin));
    }
  }

  v1::PluginRouteRequest request;
  request.mutable_call()->set_site("tampa");
  request.mutable_call()->add_reasons(v1::SUPERVISOR_REQUEST);
  request.mutable_evaluation_time()->set_seconds(1795446000);
  for (size_t i = 0; i < loaded.size(); i += 2) {
    const Plugin& original = *loaded[i];
    const Plugin& copy = *loaded[i + 1];
    EXPECT_NE(original.path(), copy.path());
    EXPECT_EQ(original.info().manifest().SerializeAsString(),
              copy.info().manifest().SerializeAsString());
    for (int department : original.info().manifest().routes_for()) {
      request.mutable_call()->set_department(static_cast<v1::Department>(department));
      auto a = test::RouteWith(original, request);
      auto b = test::RouteWith(copy, request);
      ASSERT_TRUE(a.ok()) << original.name() << ": " << a.status();
      ASSERT_TRUE(b.ok()) << copy.path() << ": " << b.status();
      EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString()) << original.name();
    }
  }
}

}  // namespace
}  // namespace escalation::host
