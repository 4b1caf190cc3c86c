// A worker process is sent the calls waiting for it together, and reads and
// answers them in order (server/plugin_runtime/isolated_plugin.cc): what
// happens to the calls behind one that crashes its worker, and to a call
// that waited behind a slow one.
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/plugin_host/plugin_registry.h"
#include "tests/support/plugin_calls.h"
#include "tests/support/worker_processes.h"

namespace escalation::host {
namespace {

using ::testing::HasSubstr;

// The answers to calls made one after another without waiting for any.
class Answers {
 public:
  explicit Answers(size_t calls) : values_(calls, absl::UnknownError("unanswered")) {}

  PluginReply For(size_t call) {
    return [this, call](absl::StatusOr<std::string> value) {
      absl::MutexLock lock(&mu_);
      values_[call] = std::move(value);
      ++answered_;
    };
  }

  std::vector<absl::StatusOr<std::string>> Wait() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](Answers* a) { return a->answered_ == a->values_.size(); }, this));
    return values_;
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::StatusOr<std::string>> values_ ABSL_GUARDED_BY(mu_);
  size_t answered_ ABSL_GUARDED_BY(mu_) = 0;
};

std::unique_ptr<Plugin> LoadWithOneWorker(const std::string& file, absl::Duration timeout) {
  LoadOptions options = test::OptionsFor(Isolation::kProcess);
  options.limits.workers = 1;
  options.limits.timeout = timeout;
  auto plugin = PluginRegistry::LoadPlugin(test::TestPlugin(file), options);
  EXPECT_TRUE(plugin.ok()) << plugin.status();
  return plugin.ok() ? *std::move(plugin) : nullptr;
}

std::string RouteRequest(bool fault) {
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::LEADERSHIP_DESK);
  (*request.mutable_call()->mutable_extensions()->mutable_fields())["fault"]
      .set_bool_value(fault);
  return request.SerializeAsString();
}

TEST(WorkerLaneTest, CallsSentBehindACrashAreAnsweredByTheRestartedWorker) {
  auto plugin = LoadWithOneWorker("fault_segfault.so", absl::Seconds(20));
  ASSERT_NE(plugin, nullptr);
  // The first crash takes the worker down; while it is restarted (after a
  // backoff) the other calls queue, and the new worker is sent them
  // together. It crashes again on the third of them: the two before were
  // answered, and those behind it, which it never read, go to the next one.
  const std::vector<bool> crashes = {true, false, false, true, false, false, false, false};
  Answers answers(crashes.size());
  for (size_t i = 0; i < crashes.size(); ++i) {
    plugin->Call(PluginMethod::kRoute, RouteRequest(crashes[i]), absl::InfiniteFuture(),
                 answers.For(i));
  }
  const std::vector<absl::StatusOr<std::string>> got = answers.Wait();
  for (size_t i = 0; i < crashes.size(); ++i) {
    if (crashes[i]) {
      EXPECT_TRUE(absl::IsInternal(got[i].status())) << i << ": " << got[i].status();
      // (Killed by SIGSEGV; under UBSan the worker exits at the null store.)
      EXPECT_THAT(std::string(got[i].status().message()),
                  HasSubstr("plugin fault_segfault crashed in route (worker "));
    } else {
      EXPECT_TRUE(got[i].ok()) << i << ": " << got[i].status();
    }
  }
}

// A crash counts towards the quarantine before its caller hears of it, so a
// call made on hearing of the crash already finds the plugin quarantined
// (the containment test of quarantine raced with this under ASan).
TEST(WorkerLaneTest, ACrashCountsTowardsTheQuarantineBeforeItsCallerHearsOfIt) {
  LoadOptions options = test::OptionsFor(Isolation::kProcess);
  options.limits.workers = 1;
  options.limits.timeout = absl::Seconds(20);
  options.limits.quarantine_failures = 1;
  options.limits.quarantine_window = absl::Seconds(60);
  options.limits.quarantine_duration = absl::Seconds(60);
  auto plugin = PluginRegistry::LoadPlugin(test::TestPlugin("fault_segfault.so"), options);
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  Answers answers(2);
  (*plugin)->Call(PluginMethod::kRoute, RouteRequest(true), absl::InfiniteFuture(),
                  [&, first = answers.For(0), second = answers.For(1)](
                      absl::StatusOr<std::string> crashed) mutable {
                    std::move(first)(std::move(crashed));
                    (*plugin)->Call(PluginMethod::kRoute, RouteRequest(false),
                                    absl::InfiniteFuture(), std::move(second));
                  });
  const std::vector<absl::StatusOr<std::string>> got = answers.Wait();
  EXPECT_TRUE(absl::IsInternal(got[0].status())) << got[0].status();
  EXPECT_TRUE(absl::IsUnavailable(got[1].status())) << got[1].status();
  EXPECT_THAT(std::string(got[1].status().message()),
              HasSubstr("plugin fault_segfault is quarantined after repeated failures"));
}

// The worker is killed when a call runs past the time it had when it was
// sent, counted from when the worker took it up, not from when it was queued.
TEST(WorkerLaneTest, AWorkerIsNotKilledForTheTimeACallWaitedBehindAnother) {
  auto plugin = LoadWithOneWorker("test_good_a.so", absl::Seconds(2));
  ASSERT_NE(plugin, nullptr);
  const std::set<int> workers = test::WorkerPids(test::TestPlugin("test_good_a.so"));
  ASSERT_EQ(workers.size(), 1u);
  // Answered at 0.2 s, 0.85 s and 2.05 s at the earliest (a sleep is never
  // shorter): the last after its caller's deadline (2 s after it was made),
  // though it ran for 1.2 s of the 2 s it had. A slow machine delays the
  // answers, which only makes the last later; the worker is killed only if
  // the last runs 0.8 s over its sleep, and the second is late only if it
  // is 1.15 s late.
  const std::vector<int> sleep_ms = {200, 650, 1200};
  Answers answers(sleep_ms.size());
  for (size_t i = 0; i < sleep_ms.size(); ++i) {
    plugin->Call(PluginMethod::kRoute, test::SleepingRouteRequest(sleep_ms[i]),
                 absl::InfiniteFuture(), answers.For(i));
  }
  const std::vector<absl::StatusOr<std::string>> got = answers.Wait();
  EXPECT_TRUE(got[0].ok()) << got[0].status();
  EXPECT_TRUE(got[1].ok()) << got[1].status();
  EXPECT_TRUE(absl::IsDeadlineExceeded(got[2].status())) << got[2].status();
  // The worker finishes the late call and goes on with the next.
  auto next = test::CallAndWait(*plugin, PluginMethod::kRoute, test::SleepingRouteRequest(0));
  EXPECT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(test::WorkerPids(test::TestPlugin("test_good_a.so")), workers);
}

}  // namespace
}  // namespace escalation::host
