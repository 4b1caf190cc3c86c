// Every department plugin in the plugin directory, loaded twice over in one
// process (a copy of each file under another name, so the dynamic loader maps
// it a second time): the descriptor-pool crash (docs/architecture.md, The
// plugin boundary) must stay impossible, and both copies must answer alike. Also: the set of plugins
// tools/run serves loads as one registry (names, rule ids and admitters are
// unique), and a plugin loaded beside them keeps to its own ground: the
// unmodified plugin template validates none of their task kinds, a task
// naming a record_type is validated by its declarer alone, and every overlap
// is listed.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "server/loader/plugin_loader.h"
#include "server/loading/loaded_plugin.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/policy_engine.h"
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
  auto registry = LoadPluginRegistry(options);
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
      auto plugin = LoadPlugin(path.string(), options);
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

// The four department plugins, with their configurations, and `extra` (with
// the configuration `extra_config` names, if any).
std::shared_ptr<const PluginRegistry> LoadWith(std::vector<std::string> extra,
                                               std::map<std::string, std::string> extra_config = {}) {
  LoadOptions options;
  options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
  options.plugin_paths = std::move(extra);
  options.config_paths = std::move(extra_config);
  auto registry = LoadPluginRegistry(options);
  EXPECT_TRUE(registry.ok()) << registry.status();
  return registry.ok() ? *registry : nullptr;
}

// A Leadership Desk Call Back exception that passes with the department
// plugins alone (plugins/leadership_desk/cases/record_types.json).
v1::ValidateTaskRequest LeadershipDeskCallBackException(bool with_record_type) {
  v1::ValidateTaskRequest request;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      R"({"task": {"kind": "CALL_BACK_EXCEPTION", "system": "SERVICEBENCH",
                   "exceptionType": "Call Back", "exceptionStatus": "Open",
                   "text": "Coverage Denial - Call Back scheduled with Leadership Desk",
                   "callEndedAt": "2026-11-23T15:00:00Z", "createdAt": "2026-11-23T15:02:00Z"},
          "evaluationTime": "2026-11-23T15:05:00Z"})",
      &request);
  EXPECT_TRUE(parsed.ok()) << parsed.message();
  if (with_record_type) request.mutable_task()->set_record_type("leadership_desk.callback_exception");
  return request;
}

std::vector<std::string> ViolationsOf(const v1::ValidateTaskResponse& response) {
  std::vector<std::string> found;
  for (const v1::Violation& v : response.violations()) {
    found.push_back(v.plugin() + ": " + v.rule_id() + " on " + v.field());
  }
  return found;
}

std::vector<std::string> OverlapSummaries(const v1::ListPluginsResponse& plugins) {
  std::vector<std::string> found;
  for (const v1::PluginOverlap& overlap : plugins.overlaps()) found.push_back(overlap.summary());
  return found;
}

TEST(DepartmentPluginsTest, TheUnmodifiedTemplateLeavesTheirTasksAlone) {
  ASSERT_STRNE(ESCALATION_TEMPLATE_PLUGIN, "") << "built without the plugin template";
  const auto departments = LoadWith({});
  const auto with_template = LoadWith({ESCALATION_TEMPLATE_PLUGIN},
                                      {{"example_department", ESCALATION_TEMPLATE_CONFIG}});
  ASSERT_NE(departments, nullptr);
  ASSERT_NE(with_template, nullptr);
  const PolicyEngine alone(departments);
  const PolicyEngine engine(with_template);
  for (bool with_record_type : {false, true}) {
    const v1::ValidateTaskRequest request = LeadershipDeskCallBackException(with_record_type);
    auto without_template = alone.ValidateTask(request, absl::Now());
    ASSERT_TRUE(without_template.ok()) << without_template.status();
    ASSERT_TRUE(without_template->valid()) << without_template->DebugString();

    auto answer = engine.ValidateTask(request, absl::Now());
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_TRUE(answer->valid()) << "record_type " << with_record_type << ": "
                                 << ::testing::PrintToString(ViolationsOf(*answer));
  }
  // The template routes Customer Service calls beside customer_service: listed.
  const v1::ListPluginsResponse plugins = engine.ListPlugins();
  EXPECT_THAT(OverlapSummaries(plugins),
              ::testing::ElementsAre(::testing::HasSubstr(
                  "department CUSTOMER_SERVICE is routed for by 2 plugins (customer_service, "
                  "example_department)")));
  ASSERT_EQ(plugins.overlaps_size(), 1);
  EXPECT_EQ(plugins.overlaps(0).routes_for(), v1::CUSTOMER_SERVICE);
  for (const v1::PluginInfo& info : plugins.plugins()) {
    if (info.manifest().name() != "example_department") continue;
    for (const v1::PluginInfo& other : plugins.plugins()) {
      if (&other == &info) continue;
      for (int kind : info.manifest().validates()) {
        EXPECT_THAT(other.manifest().validates(), ::testing::Not(::testing::Contains(kind)))
            << other.manifest().name() << " also validates " << v1::TaskKind_Name(kind);
      }
    }
  }
}

// The one plugin that edits another's output says so in its manifest:
// ListPlugins shows Leadership Desk removing Customer Service's recording
// disclosure (a script and a rule Customer Service declares) by rules of its own.
TEST(DepartmentPluginsTest, ListPluginsShowsWhatAPluginRemovesFromAnothersProposals) {
  const auto departments = LoadWith({});
  ASSERT_NE(departments, nullptr);
  const v1::ListPluginsResponse plugins = PolicyEngine(departments).ListPlugins();
  std::map<std::string, std::set<std::string>> rules_of;
  for (const v1::PluginInfo& info : plugins.plugins()) {
    for (const v1::RuleInfo& rule : info.manifest().rules()) {
      rules_of[info.manifest().name()].insert(rule.id());
    }
  }
  std::vector<std::string> edits;
  for (const v1::PluginInfo& info : plugins.plugins()) {
    for (const v1::OutputEdit& edit : info.manifest().output_edits()) {
      edits.push_back(info.manifest().name() + ": " + edit.rule_id() + " removes " +
                      edit.removes_script_id());
      EXPECT_TRUE(rules_of["customer_service"].count(edit.removes_rule_id()))
          << edit.removes_rule_id();
      EXPECT_TRUE(rules_of[info.manifest().name()].count(edit.rule_id())) << edit.rule_id();
    }
  }
  EXPECT_THAT(edits, ::testing::UnorderedElementsAre(
                         "leadership_desk: ld.queue.over_3_minutes removes recording_disclosure",
                         "leadership_desk: ld.queue.callback_refused removes recording_disclosure"));
}

TEST(DepartmentPluginsTest, ATaskNamingARecordTypeIsValidatedByItsDeclarerAlone) {
  // test_callback_veto validates Call Back exceptions and requires a category.
  const auto registry = LoadWith({test::TestPlugin("test_callback_veto.so")});
  ASSERT_NE(registry, nullptr);
  const PolicyEngine engine(registry);
  auto typed = engine.ValidateTask(LeadershipDeskCallBackException(true), absl::Now());
  ASSERT_TRUE(typed.ok()) << typed.status();
  EXPECT_TRUE(typed->valid()) << ::testing::PrintToString(ViolationsOf(*typed));
  for (const v1::MatchedRule& rule : typed->checked_rules()) {
    EXPECT_EQ(rule.plugin(), "leadership_desk") << rule.rule_id();
  }

  // A task of the kind that names no record type goes to both, as the
  // overlap ListPlugins shows says.
  auto untyped = engine.ValidateTask(LeadershipDeskCallBackException(false), absl::Now());
  ASSERT_TRUE(untyped.ok()) << untyped.status();
  EXPECT_FALSE(untyped->valid());
  EXPECT_THAT(ViolationsOf(*untyped),
              ::testing::ElementsAre("callback_veto: callback_veto.category on category"));
  EXPECT_THAT(OverlapSummaries(engine.ListPlugins()),
              ::testing::Contains(::testing::HasSubstr(
                  "task kind CALL_BACK_EXCEPTION is validated by 2 plugins (leadership_desk, "
                  "callback_veto)")));
}

}  // namespace
}  // namespace escalation::host
