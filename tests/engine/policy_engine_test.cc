// Route, admit and merge and the errors (docs/architecture.md: The path of
// one call, The merge, Errors), in process.
#include "server/engine/policy_engine.h"
#include "server/loader/plugin_loader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/paths.h"

namespace escalation::host {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::TestPlugin;

PolicyEngine EngineWith(std::vector<std::string> files) {
  LoadOptions options;
  for (const std::string& f : files) options.plugin_paths.push_back(TestPlugin(f));
  auto registry = LoadPluginRegistry(options);
  EXPECT_TRUE(registry.ok()) << registry.status();
  return PolicyEngine(*registry);
}

v1::RouteRequest Call(v1::Department department,
                      std::vector<v1::Reason> reasons = {}) {
  v1::RouteRequest request;
  request.mutable_call()->set_department(department);
  for (v1::Reason r : reasons) request.mutable_call()->add_reasons(r);
  request.mutable_evaluation_time()->set_seconds(1700000000);
  return request;
}

std::vector<std::string> RuleIds(const v1::Decision& decision) {
  std::vector<std::string> ids;
  for (const auto& rule : decision.matched_rules()) ids.push_back(rule.rule_id());
  return ids;
}

const absl::Time kNow = absl::FromUnixSeconds(1800000000);

TEST(PolicyEngineTest, HigherPriorityWinsAndEveryRuleIsKept) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  auto routed = engine.Route(Call(v1::CUSTOMER_SERVICE, {v1::CANCEL_CONTRACT}), kNow);
  ASSERT_TRUE(routed.ok()) << routed.status();
  const v1::Decision& d = routed->decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_EQ(d.destination(), v1::Decision::RETENTION);
  EXPECT_THAT(RuleIds(d), ElementsAre("good_a.cancel", "good_a.resolve"));
  EXPECT_EQ(d.matched_rules(0).plugin(), "good_a");
  EXPECT_EQ(d.matched_rules(0).plugin_version(), "1.0.0");
  // Resolving here fits under the transfer: its script is kept, no note.
  ASSERT_EQ(d.scripts_size(), 1);
  EXPECT_EQ(d.scripts(0).id(), "greeting");
  EXPECT_TRUE(d.notes().empty());
}

// A lower-priority proposal that goes another way is not the agent's to follow.
TEST(PolicyEngineTest, AnOutrankedHandoffIsNamedNotFollowed) {
  PolicyEngine engine = EngineWith({"test_good_a.so", "test_good_admitting.so"});
  auto routed = engine.Route(
      Call(v1::CUSTOMER_SERVICE, {v1::CANCEL_CONTRACT, v1::SUPERVISOR_REQUEST}), kNow);
  ASSERT_TRUE(routed.ok()) << routed.status();
  const v1::Decision& d = routed->decision();
  EXPECT_EQ(d.action(), v1::SUPERVISOR_TAKEOVER);
  EXPECT_EQ(d.destination(), v1::Decision::DIRECT_SUPERVISOR);
  std::vector<std::string> steps;
  for (const auto& step : d.steps()) steps.push_back(step.text());
  // Neither Retention transfer is followed, nor admitted by Retention's plugin
  // (which would add "Retention accepts the transfer."); the two plugins'
  // identical takeover steps are one.
  EXPECT_THAT(steps, ElementsAre("A supervisor takes over the call."));
  EXPECT_THAT(RuleIds(d), ElementsAre("good_a.takeover", "good_admitting.takeover",
                                      "good_a.resolve", "good_admitting.resolve"));
  EXPECT_THAT(d.notes(), ElementsAre(
      "Also matched, at lower priority, and not part of this decision: TRANSFER to RETENTION "
      "(good_a.cancel).",
      "Also matched, at lower priority, and not part of this decision: TRANSFER to RETENTION "
      "(good_admitting.cancel)."));
}

TEST(PolicyEngineTest, ProposalsFromTwoPluginsAreMergedWithoutDuplicates) {
  PolicyEngine engine = EngineWith({"test_good_a.so", "test_good_b.so"});
  auto routed = engine.Route(Call(v1::CUSTOMER_SERVICE), kNow);
  ASSERT_TRUE(routed.ok()) << routed.status();
  // Both plugins propose the same script text: it appears once. The proposals
  // agree, so no note says one was outranked.
  EXPECT_EQ(routed->decision().scripts_size(), 1);
  EXPECT_TRUE(routed->decision().notes().empty());
  EXPECT_THAT(RuleIds(routed->decision()), ElementsAre("good_a.resolve", "good_b.resolve"));
}

TEST(PolicyEngineTest, TheDestinationsPluginAmendsTheProposal) {
  PolicyEngine engine = EngineWith({"test_good_a.so", "test_good_admitting.so"});
  auto routed = engine.Route(Call(v1::CUSTOMER_SERVICE, {v1::CANCEL_CONTRACT}), kNow);
  ASSERT_TRUE(routed.ok()) << routed.status();
  const v1::Decision& d = routed->decision();
  EXPECT_EQ(d.destination(), v1::Decision::RETENTION);
  ASSERT_GE(d.steps_size(), 2);
  EXPECT_EQ(d.steps(1).text(), "Retention accepts the transfer.");
  bool admitted_by_other_plugin = false;
  for (const auto& rule : d.matched_rules()) {
    if (rule.rule_id() == "good_admitting.admit") {
      admitted_by_other_plugin = rule.plugin() == "good_admitting";
    }
  }
  EXPECT_TRUE(admitted_by_other_plugin);
}

TEST(PolicyEngineTest, UsesTheServerClockWhenTheRequestGivesNoInstant) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  v1::RouteRequest request = Call(v1::CUSTOMER_SERVICE);
  request.clear_evaluation_time();
  auto routed = engine.Route(request, kNow);
  ASSERT_TRUE(routed.ok());
  EXPECT_EQ(routed->evaluation_time().seconds(), 1800000000);
}

TEST(PolicyEngineTest, MissingDepartmentIsInvalid) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  auto routed = engine.Route(v1::RouteRequest(), kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(routed.status().message()), HasSubstr("call.department"));
}

TEST(PolicyEngineTest, UnknownEnumValueIsInvalidNamingTheField) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  v1::RouteRequest request = Call(v1::CUSTOMER_SERVICE, {v1::CANCEL_CONTRACT});
  request.mutable_call()->add_reasons(static_cast<v1::Reason>(999));
  auto routed = engine.Route(request, kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("call.reasons[1]: unknown Reason value 999"));
}

TEST(PolicyEngineTest, MalformedTimestampIsInvalidNamingTheField) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  v1::RouteRequest request = Call(v1::CUSTOMER_SERVICE);
  request.mutable_evaluation_time()->set_nanos(-5);
  auto routed = engine.Route(request, kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("evaluation_time: malformed timestamp"));
}

TEST(PolicyEngineTest, MalformedDurationIsInvalidNamingTheField) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  v1::RouteRequest request = Call(v1::CUSTOMER_SERVICE);
  request.mutable_call()->mutable_live_transfer_queue_wait()->set_seconds(5);
  request.mutable_call()->mutable_live_transfer_queue_wait()->set_nanos(-1);
  auto routed = engine.Route(request, kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("call.live_transfer_queue_wait: malformed duration"));
}

TEST(PolicyEngineTest, NegativeWaitIsInvalidNamingTheField) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  v1::RouteRequest request = Call(v1::CUSTOMER_SERVICE);
  request.mutable_call()->mutable_live_transfer_queue_wait()->set_seconds(-5);
  auto routed = engine.Route(request, kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("call.live_transfer_queue_wait: must not be negative"));
}

TEST(PolicyEngineTest, NoPluginForTheDepartmentIsAFailedPrecondition) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  auto routed = engine.Route(Call(v1::MEMBERSHIP_SERVICES), kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("no plugin routes calls for department MEMBERSHIP_SERVICES"));
}

struct FaultCase {
  const char* file;
  const char* message;
};

class PluginFaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(PluginFaultTest, IsInternalNamingThePlugin) {
  PolicyEngine engine = EngineWith({GetParam().file});
  auto routed = engine.Route(Call(v1::LEADERSHIP_DESK), kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(routed.status().message()), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Faults, PluginFaultTest,
    ::testing::Values(
        FaultCase{"fault_throws.so", "plugin fault_throws failed in route (INTERNAL): "
                                     "plugin threw: rule table corrupted"},
        FaultCase{"fault_bad_bytes.so", "plugin fault_bad_bytes returned bytes from route "
                                        "that do not parse as escalation.v1.PluginRouteResponse"},
        FaultCase{"fault_error_code.so", "plugin fault_error_code failed in route "
                                         "(INTERNAL): policy store unavailable"}),
    [](const ::testing::TestParamInfo<FaultCase>& info) {
      const std::string file = info.param.file;
      return file.substr(0, file.find('.'));
    });

TEST(PolicyEngineTest, ValidationMergesViolationsOfEveryValidator) {
  PolicyEngine engine = EngineWith({"test_good_a.so", "test_good_b.so"});
  v1::ValidateTaskRequest request;
  request.mutable_task()->set_kind(v1::T2_TASK);
  auto result = engine.ValidateTask(request, kNow);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->valid());
  ASSERT_EQ(result->violations_size(), 2);
  EXPECT_EQ(result->violations(0).field(), "category");
  EXPECT_EQ(result->violations(0).plugin(), "good_a");
  EXPECT_EQ(result->violations(1).plugin(), "good_b");

  request.mutable_task()->set_category("Membership Services");
  result = engine.ValidateTask(request, kNow);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->valid());
  EXPECT_EQ(result->checked_rules_size(), 2);
}

TEST(PolicyEngineTest, ValidationNeedsAKindAndAValidator) {
  PolicyEngine engine = EngineWith({"test_good_a.so"});
  v1::ValidateTaskRequest request;
  EXPECT_EQ(engine.ValidateTask(request, kNow).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.mutable_task()->set_kind(v1::JOB_NOTE);
  auto result = engine.ValidateTask(request, kNow);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("no plugin validates task kind JOB_NOTE"));
}

TEST(PolicyEngineTest, ListsEveryPlugin) {
  PolicyEngine engine = EngineWith({"test_good_a.so", "test_good_b.so"});
  v1::ListPluginsResponse listed = engine.ListPlugins();
  ASSERT_EQ(listed.plugins_size(), 2);
  EXPECT_EQ(listed.plugins(1).manifest().name(), "good_b");
  // The file's name, not where it is: callers are not told the server's layout.
  EXPECT_EQ(listed.plugins(1).path(), "test_good_b.so");
}

}  // namespace
}  // namespace escalation::host
