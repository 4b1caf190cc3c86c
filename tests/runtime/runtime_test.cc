// Where plugin code runs (docs/architecture.md, Fault containment), tested
// through the registry as the server builds it: bounded queues, deadlines, a
// v1.0 plugin in every mode, the quarantine's arithmetic, and the per-plugin
// limit flags.
#include <filesystem>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/app/plugin_limit_flags.h"
#include "server/engine/policy_engine.h"
#include "server/loader/plugin_loader.h"
#include "server/runtime/quarantine.h"
#include "tests/support/plugin_calls.h"
#include "tests/support/worker_processes.h"

namespace escalation::host {
namespace {

using ::testing::HasSubstr;

class RuntimeTest : public ::testing::TestWithParam<Isolation> {
 protected:
  std::unique_ptr<Plugin> Load(const std::string& path, runtime::PluginLimits limits) {
    LoadOptions options = test::OptionsFor(GetParam());
    options.limits = limits;
    auto plugin = LoadPlugin(path, options);
    EXPECT_TRUE(plugin.ok()) << plugin.status();
    return plugin.ok() ? *std::move(plugin) : nullptr;
  }
};

TEST_P(RuntimeTest, AFullQueueAnswersResourceExhaustedNamingThePlugin) {
  if (GetParam() == Isolation::kInProcess) {
    GTEST_SKIP() << "in process a call runs on its caller's thread: there is no queue";
  }
  runtime::PluginLimits limits;
  limits.workers = 1;
  limits.queue_size = 2;
  limits.timeout = absl::Seconds(10);
  auto plugin = Load(test::TestPlugin("test_good_a.so"), limits);
  ASSERT_NE(plugin, nullptr);
  // One call runs, two wait; the fourth finds the queue full.
  std::vector<absl::StatusOr<std::string>> answers(4);
  std::vector<std::thread> calls;
  for (int i = 0; i < 4; ++i) {
    calls.emplace_back([&, i] {
      absl::SleepFor(absl::Milliseconds(50 * i));
      answers[i] = test::CallAndWait(*plugin, PluginMethod::kRoute, test::SleepingRouteRequest(400));
    });
  }
  for (std::thread& t : calls) t.join();
  int exhausted = 0;
  for (const auto& answer : answers) {
    if (answer.ok()) continue;
    EXPECT_TRUE(absl::IsResourceExhausted(answer.status())) << answer.status();
    EXPECT_THAT(std::string(answer.status().message()),
                HasSubstr("plugin good_a is overloaded: 2 calls already wait for it"));
    ++exhausted;
  }
  EXPECT_EQ(exhausted, 1);
}

TEST_P(RuntimeTest, TheCallersDeadlineWinsWhenItIsSooner) {
  runtime::PluginLimits limits;
  limits.timeout = absl::Seconds(10);
  auto plugin = Load(test::TestPlugin("test_good_a.so"), limits);
  ASSERT_NE(plugin, nullptr);
  const absl::Time start = absl::Now();
  auto answer = test::CallAndWait(*plugin, PluginMethod::kRoute, test::SleepingRouteRequest(2000),
                                  absl::Now() + absl::Milliseconds(200));
  EXPECT_TRUE(absl::IsDeadlineExceeded(answer.status())) << answer.status();
  EXPECT_THAT(std::string(answer.status().message()),
              HasSubstr("plugin good_a did not answer route before the call's deadline"));
  // A worker's call is given up at the deadline; a call in process is not
  // preempted, and is answered when it returns.
  if (GetParam() == Isolation::kProcess) {
    EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  } else {
    EXPECT_GE(absl::Now() - start, absl::Seconds(2));
  }
}

TEST_P(RuntimeTest, ThePluginsTimeoutWinsWhenItIsSooner) {
  runtime::PluginLimits limits;
  limits.timeout = absl::Milliseconds(100);
  auto plugin = Load(test::TestPlugin("test_good_a.so"), limits);
  ASSERT_NE(plugin, nullptr);
  auto answer = test::CallAndWait(*plugin, PluginMethod::kRoute, test::SleepingRouteRequest(1000),
                                  absl::Now() + absl::Seconds(30));
  EXPECT_TRUE(absl::IsDeadlineExceeded(answer.status())) << answer.status();
  EXPECT_THAT(std::string(answer.status().message()),
              HasSubstr("within its timeout of 100ms"));
}

TEST_P(RuntimeTest, AnAnswerOverTheSizeLimitIsRefusedNamingThePlugin) {
  runtime::PluginLimits limits;
  limits.timeout = absl::Seconds(30);  // The 100 MB answer takes a while to build.
  limits.max_response_bytes = size_t{1} << 20;
  auto plugin = Load(test::TestPlugin("fault_huge.so"), limits);
  ASSERT_NE(plugin, nullptr);
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::LEADERSHIP_DESK);
  (*request.mutable_call()->mutable_extensions()->mutable_fields())["fault"].set_bool_value(true);
  auto answer = test::CallAndWait(*plugin, PluginMethod::kRoute, request.SerializeAsString());
  EXPECT_TRUE(absl::IsInternal(answer.status())) << answer.status();
  EXPECT_THAT(std::string(answer.status().message()),
              HasSubstr("over its limit of 1048576 bytes; the answer was refused"));
}

// A plugin built against the frozen v1.0 API decides the same in every mode.
TEST_P(RuntimeTest, AV1_0PluginBinaryAnswersUnchanged) {
  auto decide = [](const LoadOptions& options) {
    auto registry = LoadPluginRegistry(options);
    EXPECT_TRUE(registry.ok()) << registry.status();
    PolicyEngine engine(*registry);
    v1::RouteRequest request;
    request.mutable_call()->set_department(v1::MEMBERSHIP_SERVICES);
    request.mutable_call()->add_threats(v1::CANCEL_WARRANTY);
    request.mutable_call()->set_customer_name("Ada");
    request.mutable_evaluation_time()->set_seconds(1795446000);
    auto routed = engine.Route(request, absl::Now());
    EXPECT_TRUE(routed.ok()) << routed.status();
    return routed.ok() ? routed->SerializeAsString() : "";
  };
  LoadOptions direct;
  direct.plugin_paths = {COMPAT_V1_0_PLUGIN};
  LoadOptions isolated = test::OptionsFor(GetParam());
  isolated.plugin_paths = {COMPAT_V1_0_PLUGIN};
  const std::string expected = decide(direct);
  EXPECT_THAT(expected, HasSubstr("Warm transfer to Tier 2."));
  EXPECT_EQ(decide(isolated), expected);
}

INSTANTIATE_TEST_SUITE_P(Isolation, RuntimeTest,
                         ::testing::Values(Isolation::kInProcess, Isolation::kProcess),
                         [](const auto& info) { return test::IsolationName(info.param); });

int WorkersServing(const std::string& path) {
  return static_cast<int>(test::WorkerPids(path).size());
}

// All plugins' workers start in one wave of the default count; a plugin
// whose own limit differs gets more, or loses the extra, once it is named.
TEST(WorkerStartTest, EachPluginGetsItsOwnNumberOfWorkersAndEachAnswers) {
  LoadOptions options = test::OptionsFor(Isolation::kProcess);
  const std::string a = std::filesystem::canonical(test::TestPlugin("test_good_a.so"));
  const std::string b = std::filesystem::canonical(test::TestPlugin("test_good_b.so"));
  const std::string admitting =
      std::filesystem::canonical(test::TestPlugin("test_good_admitting.so"));
  options.plugin_paths = {a, b, admitting};
  options.limits.workers = 2;
  options.limits_by_plugin["good_a"] = options.limits;
  options.limits_by_plugin["good_a"].workers = 3;
  options.limits_by_plugin["good_b"] = options.limits;
  options.limits_by_plugin["good_b"].workers = 1;
  auto registry = LoadPluginRegistry(options);
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_EQ(WorkersServing(a), 3);
  EXPECT_EQ(WorkersServing(b), 1);
  EXPECT_EQ(WorkersServing(admitting), 2);
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  for (const auto& plugin : (*registry)->plugins()) {
    if (plugin->name() == "good_admitting") continue;
    auto routed = test::RouteWith(*plugin, request);
    EXPECT_TRUE(routed.ok()) << plugin->name() << ": " << routed.status();
  }
}

TEST(QuarantineTest, EngagesAtTheNthFailureInTheWindowAndLiftsOnAnAnswer) {
  runtime::Quarantine q(3, absl::Seconds(10), absl::Seconds(5));
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  absl::Time until;
  EXPECT_FALSE(q.RecordFailure(t0));
  EXPECT_FALSE(q.RecordFailure(t0 + absl::Seconds(1)));
  EXPECT_FALSE(q.Refuses(t0 + absl::Seconds(1), &until));
  EXPECT_TRUE(q.RecordFailure(t0 + absl::Seconds(2)));
  EXPECT_TRUE(q.Refuses(t0 + absl::Seconds(3), &until));
  EXPECT_EQ(until, t0 + absl::Seconds(7));
  // Run out: on probation, calls pass; one more failure quarantines again.
  EXPECT_FALSE(q.Refuses(t0 + absl::Seconds(8), &until));
  EXPECT_TRUE(q.RecordFailure(t0 + absl::Seconds(8)));
  EXPECT_TRUE(q.Refuses(t0 + absl::Seconds(9), &until));
  // An answer after the quarantine ends it and forgets the failures.
  q.RecordSuccess();
  EXPECT_FALSE(q.Refuses(t0 + absl::Seconds(9), &until));
  EXPECT_FALSE(q.RecordFailure(t0 + absl::Seconds(10)));
}

TEST(QuarantineTest, FailuresOutsideTheWindowDoNotCount) {
  runtime::Quarantine q(2, absl::Seconds(10), absl::Seconds(5));
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  EXPECT_FALSE(q.RecordFailure(t0));
  EXPECT_FALSE(q.RecordFailure(t0 + absl::Seconds(11)));
  EXPECT_TRUE(q.RecordFailure(t0 + absl::Seconds(12)));
}

// The count is of failures within the window: calls answered between them do
// not reset it (five failures a minute apart from a plugin answering in
// between are five failures).
TEST(QuarantineTest, AnswersBetweenFailuresDoNotResetTheCount) {
  runtime::Quarantine q(3, absl::Seconds(30), absl::Seconds(10));
  const absl::Time t0 = absl::Now();
  absl::Time until;
  EXPECT_FALSE(q.RecordFailure(t0));
  q.RecordSuccess();
  EXPECT_FALSE(q.RecordFailure(t0 + absl::Seconds(1)));
  q.RecordSuccess();
  EXPECT_TRUE(q.RecordFailure(t0 + absl::Seconds(2)));
  // An answer from a call made before it does not lift the quarantine.
  q.RecordSuccess();
  EXPECT_TRUE(q.Refuses(t0 + absl::Seconds(3), &until));
  EXPECT_EQ(until, t0 + absl::Seconds(12));
}

TEST(PluginLimitFlagsTest, OverridesOnePluginAndNamesABadEntry) {
  runtime::PluginLimits defaults;
  std::map<std::string, runtime::PluginLimits> by_plugin;
  ASSERT_TRUE(app::ParsePluginLimits({"leadership_desk.timeout=500ms",
                                      "leadership_desk.workers=4",
                                      "customer_service.memory_limit_mb=64"},
                                     defaults, &by_plugin)
                  .ok());
  EXPECT_EQ(by_plugin["leadership_desk"].timeout, absl::Milliseconds(500));
  EXPECT_EQ(by_plugin["leadership_desk"].workers, 4);
  EXPECT_EQ(by_plugin["leadership_desk"].queue_size, defaults.queue_size);
  EXPECT_EQ(by_plugin["customer_service"].memory_limit_bytes, size_t{64} << 20);

  auto bad = app::ParsePluginLimits({"leadership_desk.timeout=soon"}, defaults, &by_plugin);
  EXPECT_THAT(std::string(bad.message()),
              HasSubstr("leadership_desk: plugin limit timeout=\"soon\": want a positive duration"));
  bad = app::ParsePluginLimits({"workers=4"}, defaults, &by_plugin);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("\"workers=4\" is not NAME.KEY=VALUE"));
  bad = app::ParsePluginLimits({"x.colour=red"}, defaults, &by_plugin);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("unknown plugin limit \"colour\""));
}

}  // namespace
}  // namespace escalation::host
