// Plugins keep to their own ground: the extension facts a plugin declares
// are typed (a value of another type is INVALID_ARGUMENT naming the fact
// before any plugin sees it), two plugins cannot declare one fact with two
// types, and every task kind or department several plugins claim is listed.
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_ground.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/engine/policy_engine.h"
#include "tests/support/paths.h"

namespace escalation::host {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

PolicyEngine EngineWith(std::vector<std::string> files) {
  LoadOptions options;
  for (const std::string& f : files) options.plugin_paths.push_back(test::TestPlugin(f));
  auto registry = LoadPluginRegistry(options);
  EXPECT_TRUE(registry.ok()) << registry.status();
  return PolicyEngine(*registry);
}

// A Customer Service call with one extension fact.
v1::RouteRequest CallWith(const std::string& key, google::protobuf::Value value) {
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  (*request.mutable_call()->mutable_extensions()->mutable_fields())[key] = std::move(value);
  request.mutable_evaluation_time()->set_seconds(1700000000);
  return request;
}

google::protobuf::Value String(const std::string& s) {
  google::protobuf::Value v;
  v.set_string_value(s);
  return v;
}
google::protobuf::Value Bool(bool b) {
  google::protobuf::Value v;
  v.set_bool_value(b);
  return v;
}

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

TEST(PluginGroundTest, ListPluginsShowsTheDeclaredExtensionFacts) {
  const PolicyEngine engine = EngineWith({"test_good_a.so"});
  const v1::ListPluginsResponse plugins = engine.ListPlugins();
  const v1::PluginManifest& manifest = plugins.plugins(0).manifest();
  ASSERT_EQ(manifest.extension_facts_size(), 2);
  EXPECT_EQ(manifest.extension_facts(0).name(), "sleep_ms");
  EXPECT_EQ(manifest.extension_facts(0).type(), v1::EXTENSION_FACT_TYPE_NUMBER);
  EXPECT_EQ(manifest.extension_facts(1).name(), "cancel_requested");
  EXPECT_EQ(manifest.extension_facts(1).type(), v1::EXTENSION_FACT_TYPE_BOOL);
  EXPECT_FALSE(manifest.extension_facts(1).meaning().empty());
}

TEST(PluginGroundTest, AFactOfTheDeclaredTypeIsReadByTheRule) {
  const PolicyEngine engine = EngineWith({"test_good_a.so"});
  auto decision = engine.Route(CallWith("cancel_requested", Bool(true)), kNow);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->decision().destination(), v1::Decision::RETENTION);
}

TEST(PluginGroundTest, AStringWhereTheRuleReadsABoolIsRefusedNamingTheFact) {
  const PolicyEngine engine = EngineWith({"test_good_a.so"});
  auto decision = engine.Route(CallWith("cancel_requested", String("yes")), kNow);
  ASSERT_FALSE(decision.ok()) << decision->DebugString();
  EXPECT_EQ(decision.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decision.status().message(),
            "call.extensions.cancel_requested: plugin good_a declares this fact a bool, "
            "but the request gives a string (\"yes\")");

  decision = engine.Route(CallWith("sleep_ms", Bool(true)), kNow);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(decision.status().message(),
              HasSubstr("call.extensions.sleep_ms: plugin good_a declares this fact a number, "
                        "but the request gives a bool (true)"));
}

TEST(PluginGroundTest, TwoPluginsDeclaringOneFactAreBothNamed) {
  const PolicyEngine engine = EngineWith({"test_good_a.so", "test_good_b.so"});
  auto decision = engine.Route(CallWith("cancel_requested", String("yes")), kNow);
  ASSERT_FALSE(decision.ok());
  EXPECT_EQ(decision.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(decision.status().message(),
              HasSubstr("call.extensions.cancel_requested: plugins good_a, good_b declare this "
                        "fact a bool"));
}

TEST(PluginGroundTest, NullAndUndeclaredFactsPassAsSent) {
  const PolicyEngine engine = EngineWith({"test_good_a.so"});
  google::protobuf::Value null;
  null.set_null_value(google::protobuf::NULL_VALUE);
  EXPECT_TRUE(engine.Route(CallWith("cancel_requested", null), kNow).ok());
  EXPECT_TRUE(engine.Route(CallWith("not_declared_by_anyone", String("yes")), kNow).ok());
}

// A plugin that is its manifest alone: the registry's load checks read
// nothing else.
class ManifestOnly final : public Plugin {
 public:
  explicit ManifestOnly(v1::PluginManifest manifest) {
    *info_.mutable_manifest() = std::move(manifest);
    info_.set_path("/plugins/" + info_.manifest().name() + ".so");
  }
  void Call(PluginMethod, absl::string_view, absl::Time, PluginReply reply) const override {
    std::move(reply)(absl::UnimplementedError("not called"));
  }
};

v1::PluginManifest Declaring(const std::string& name, const std::string& fact,
                             v1::ExtensionFactType type) {
  v1::PluginManifest manifest;
  manifest.set_name(name);
  v1::ExtensionFactInfo* info = manifest.add_extension_facts();
  info->set_name(fact);
  info->set_type(type);
  return manifest;
}

absl::Status Load(std::vector<v1::PluginManifest> manifests) {
  std::vector<std::unique_ptr<Plugin>> plugins;
  for (v1::PluginManifest& m : manifests) plugins.push_back(std::make_unique<ManifestOnly>(m));
  return PluginRegistry::FromPlugins(std::move(plugins)).status();
}

TEST(PluginGroundTest, RefusesOneFactDeclaredWithTwoTypes) {
  const absl::Status status =
      Load({Declaring("a", "sears_warranty_conversion", v1::EXTENSION_FACT_TYPE_BOOL),
            Declaring("b", "sears_warranty_conversion", v1::EXTENSION_FACT_TYPE_STRING)});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "plugin /plugins/b.so: extension fact \"sears_warranty_conversion\" is declared "
            "a string, but plugin a declares it a bool");
}

TEST(PluginGroundTest, RefusesAFactWithoutANameOrAType) {
  EXPECT_THAT(Load({Declaring("a", "", v1::EXTENSION_FACT_TYPE_BOOL)}).message(),
              HasSubstr("/plugins/a.so: declares an extension fact with no name"));
  EXPECT_THAT(Load({Declaring("a", "x", v1::EXTENSION_FACT_TYPE_UNSPECIFIED)}).message(),
              HasSubstr("/plugins/a.so: extension fact \"x\" has no type"));
  v1::PluginManifest twice = Declaring("a", "x", v1::EXTENSION_FACT_TYPE_BOOL);
  *twice.add_extension_facts() = twice.extension_facts(0);
  EXPECT_THAT(Load({twice}).message(), HasSubstr("extension fact \"x\" is declared twice"));
}

TEST(PluginGroundTest, ListsEveryKindAndDepartmentSeveralPluginsClaim) {
  std::map<v1::Department, std::vector<const Plugin*>> routers;
  std::map<v1::TaskKind, std::vector<const Plugin*>> validators;
  v1::PluginManifest m;
  m.set_name("first");
  const ManifestOnly first(m);
  m.set_name("second");
  const ManifestOnly second(m);
  routers[v1::CUSTOMER_SERVICE] = {&first};
  routers[v1::TELESALES_RETENTION] = {&second, &first};
  validators[v1::CALL_BACK_EXCEPTION] = {&first, &second};
  validators[v1::T2_TASK] = {&second};
  const std::vector<v1::PluginOverlap> overlaps = FindOverlaps(routers, validators);
  ASSERT_EQ(overlaps.size(), 2u);
  EXPECT_EQ(overlaps[0].validates(), v1::CALL_BACK_EXCEPTION);
  EXPECT_THAT(overlaps[0].plugins(), ElementsAre("first", "second"));
  EXPECT_THAT(overlaps[0].summary(),
              AllOf(HasSubstr("task kind CALL_BACK_EXCEPTION is validated by 2 plugins "
                              "(first, second)"),
                    HasSubstr("record_type")));
  EXPECT_EQ(overlaps[1].routes_for(), v1::TELESALES_RETENTION);
  EXPECT_THAT(overlaps[1].plugins(), ElementsAre("second", "first"));
}

TEST(PluginGroundTest, LoadingTwoPluginsOnOneGroundListsTheOverlaps) {
  const PolicyEngine engine = EngineWith({"test_good_a.so", "test_good_b.so"});
  const v1::ListPluginsResponse plugins = engine.ListPlugins();
  std::vector<std::string> summaries;
  for (const v1::PluginOverlap& o : plugins.overlaps()) {
    summaries.push_back(o.summary());
  }
  EXPECT_THAT(summaries,
              ElementsAre(HasSubstr("task kind T2_TASK is validated by 2 plugins (good_a, good_b)"),
                          HasSubstr("department CUSTOMER_SERVICE is routed for by 2 plugins"),
                          HasSubstr("department TELESALES_RETENTION is routed for by 2 plugins")));
  EXPECT_TRUE(EngineWith({"test_good_a.so"}).ListPlugins().overlaps().empty());
}

}  // namespace
}  // namespace escalation::host
