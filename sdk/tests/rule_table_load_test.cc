// Building a rule table: a table compiles only for its own hook, and a plugin
// declaring one carries every row in its manifest or fails its load naming
// the row (a mistyped rule id, an undeclared record type, a slot with no
// fill), which the SDK's create entry point then refuses.
#include "escalation/sdk/rule_table.h"

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "escalation/sdk/plugin.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rule_table_plugins.h"

namespace escalation::sdk {
namespace {

using ::escalation::sdk::rule_table_test::Call;
using ::escalation::sdk::rule_table_test::SlotPlugin;
using ::escalation::sdk::rule_table_test::TablePlugin;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---- A table passed to the wrong hook does not compile ----
template <typename Table, typename Out, typename = void>
struct Applies : std::false_type {};
template <typename Table, typename Out>
struct Applies<Table, Out,
               std::void_t<decltype(Apply(std::declval<const Table&>(),
                                          std::declval<const Call&>(),
                                          std::declval<Out>()))>>
    : std::true_type {};

static_assert(Applies<RouteTable<Call>, v1::PluginRouteResponse*>::value);
static_assert(!Applies<RouteTable<Call>, v1::PluginValidateResponse*>::value);
static_assert(!Applies<RouteTable<Call>, v1::Decision*>::value);
static_assert(Applies<AdmitTable<Call>, v1::Decision*>::value);
static_assert(!Applies<AdmitTable<Call>, v1::PluginRouteResponse*>::value);
static_assert(Applies<ValidateTable<Call>, v1::PluginValidateResponse*>::value);
static_assert(!Applies<ValidateTable<Call>, v1::PluginRouteResponse*>::value);
static_assert(!std::is_convertible_v<RouteTable<Call>, AdmitTable<Call>>);
static_assert(!std::is_convertible_v<RouteTable<Call>, ValidateTable<Call>>);
static_assert(!std::is_convertible_v<AdmitTable<Call>, ValidateTable<Call>>);

TEST(RouteTableTest, TheManifestAndOutcomesHoldEveryRowAtLoad) {
  TablePlugin plugin("t.hours", "t.task");
  std::vector<std::string> ids;
  for (const v1::RuleInfo& r : plugin.manifest().rules()) ids.push_back(r.id());
  EXPECT_THAT(ids, ElementsAre("t.hours", "t.record", "t.transfer", "t.uncovered"));
  ASSERT_EQ(plugin.outcomes().size(), 2u);
  EXPECT_EQ(plugin.outcomes()[0].rule->id, "t.transfer");
  EXPECT_EQ(*plugin.outcomes()[0].outcome->summary, "Warm-transfer to T2.");
  EXPECT_EQ(*plugin.outcomes()[1].outcome->summary, "Nothing covers this call.");
}

TEST(RouteTableTest, AMistypedRuleIdFailsTheLoadNamingIt) {
  TablePlugin plugin("t.hourz", "t.task");
  EXPECT_EQ(plugin.load_status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(plugin.load_status().message(), HasSubstr("\"t.hourz\""));
  EXPECT_THAT(plugin.load_status().message(), HasSubstr("\"t.transfer\""));
}

TEST(RouteTableTest, AnUndeclaredRecordTypeFailsTheLoadNamingIt) {
  TablePlugin plugin("t.hours", "t.tusk");
  EXPECT_THAT(plugin.load_status().message(), HasSubstr("\"t.tusk\""));
}

// The SDK's create entry point refuses the plugin, with the message, before
// Configure: the server reports it as the plugin's load error.
std::string g_cited_id;
TEST(RouteTableTest, CreateRefusesAPluginThatDidNotLoad) {
  g_cited_id = "t.hourz";
  const EscPluginDescriptor d = internal::MakeDescriptor(
      []() -> std::unique_ptr<Plugin> {
        return std::make_unique<TablePlugin>(g_cited_id, "t.task");
      },
      "table", "1.0.0");
  EscPluginInstance* instance = nullptr;
  EscBuffer out{nullptr, 0};
  EXPECT_NE(d.create(nullptr, 0, &instance, &out), ESC_OK);
  EXPECT_EQ(instance, nullptr);
  const std::string message(reinterpret_cast<const char*>(out.data), out.size);
  EXPECT_THAT(message, HasSubstr("\"t.hourz\""));
  d.release_buffer(&out);

  g_cited_id = "t.hours";
  ASSERT_EQ(d.create(nullptr, 0, &instance, &out), ESC_OK);
  d.destroy(instance);
}

TEST(AdmitTableTest, ASlotWithoutAFillFailsTheLoad) {
  SlotPlugin plugin(false);
  EXPECT_THAT(plugin.load_status().message(), HasSubstr("\"t.slot\" has a slot"));
}

}  // namespace
}  // namespace escalation::sdk
