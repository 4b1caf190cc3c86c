// A worker process is sent the calls waiting for it together, and reads and
// answers them in order (server/runtime/isolated_plugin.cc): what
// happens to the calls behind one that crashes its worker, to a call that
// waited behind a slow one, to a busy plugin's workers, to a worker that
// died while idle, and to a request that crashes every worker it reaches.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/loader/plugin_loader.h"
#include "server/observability/metrics.h"
#include "server/registry/plugin_registry.h"
#include "server/runtime/runtime_counters.h"
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
    return [this, call](absl::StatusOr<absl::string_view> value) {
      absl::MutexLock lock(&mu_);
      values_[call] = host::OwnedAnswer(value);
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
  auto plugin = LoadPlugin(test::TestPlugin(file), options);
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
  auto plugin = LoadPlugin(test::TestPlugin("fault_segfault.so"), options);
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  Answers answers(2);
  (*plugin)->Call(PluginMethod::kRoute, RouteRequest(true), absl::InfiniteFuture(),
                  [&, first = answers.For(0), second = answers.For(1)](
                      absl::StatusOr<absl::string_view> crashed) mutable {
                    std::move(first)(crashed);
                    (*plugin)->Call(PluginMethod::kRoute, RouteRequest(false),
                                    absl::InfiniteFuture(), std::move(second));
                  });
  const std::vector<absl::StatusOr<std::string>> got = answers.Wait();
  EXPECT_TRUE(absl::IsInternal(got[0].status())) << got[0].status();
  EXPECT_TRUE(absl::IsUnavailable(got[1].status())) << got[1].status();
  EXPECT_THAT(std::string(got[1].status().message()),
              HasSubstr("plugin fault_segfault is quarantined after repeated failures"));
}

// The worker is killed only when a call runs past its whole time, counted
// from when the worker took it up, not from when it was queued.
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

// The counters of one plugin as they were when made, to compare with later.
struct CountersBefore {
  explicit CountersBefore(const std::string& plugin)
      : counters(runtime::RuntimeCountersFor(plugin)),
        hung(counters.killed_hung), crashed(counters.crashed),
        restarts(counters.worker_restarts), quarantines(counters.quarantines),
        expired_queued(counters.expired_queued), poison_refused(counters.poison_refused) {}
  const runtime::RuntimeCounters& counters;
  const int64_t hung, crashed, restarts, quarantines, expired_queued, poison_refused;
};

// A plugin taking 100 ms a call, driven at four times what its two workers
// can serve, with the default limits (250 ms a call): calls wait, and many
// run out of time waiting, but no worker is killed for it (it is busy, not
// hung) and the plugin is never quarantined.
TEST(WorkerLaneTest, ABusyWorkerIsNotTakenForAHungOne) {
  const std::string file = test::TestPlugin("test_good_a.so");
  auto plugin = LoadPlugin(file, test::OptionsFor(Isolation::kProcess));
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  const std::set<int> workers = test::WorkerPids(file);
  ASSERT_EQ(workers.size(), 2u);
  const CountersBefore before("good_a");

  absl::Mutex mu;
  std::map<absl::StatusCode, int> codes;
  int expired_queued = 0;
  std::vector<std::string> unexpected;
  std::vector<std::thread> callers;
  const absl::Time end = absl::Now() + absl::Seconds(2);
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      while (absl::Now() < end) {
        absl::StatusOr<std::string> answer =
            test::CallAndWait(**plugin, PluginMethod::kRoute, test::SleepingRouteRequest(100));
        const std::string message(answer.status().message());
        absl::MutexLock lock(&mu);
        ++codes[answer.status().code()];
        if (absl::IsDeadlineExceeded(answer.status()) &&
            absl::StrContains(message, "the call was still queued, waiting for a worker")) {
          ++expired_queued;
        }
        const bool expected =
            answer.ok() || absl::IsResourceExhausted(answer.status()) ||
            (absl::IsDeadlineExceeded(answer.status()) &&
             absl::StrContains(message, "plugin good_a did not answer route within its timeout"));
        if (!expected && unexpected.size() < 5) unexpected.push_back(answer.status().ToString());
      }
    });
  }
  for (std::thread& t : callers) t.join();

  absl::MutexLock lock(&mu);
  std::string tally;
  for (const auto& [code, n] : codes) {
    absl::StrAppend(&tally, absl::StatusCodeToString(code), "=", n, " ");
  }
  absl::StrAppend(&tally, "(DEADLINE_EXCEEDED still queued=", expired_queued, ")");
  std::printf("answers in 2 s: %s\n", tally.c_str());
  EXPECT_THAT(unexpected, ::testing::IsEmpty()) << "(the first five) " << tally;
  EXPECT_GT(codes[absl::StatusCode::kOk], 0) << tally;
  EXPECT_GT(expired_queued, 0) << tally;
  EXPECT_EQ(codes[absl::StatusCode::kUnavailable], 0) << tally;
  EXPECT_EQ(test::WorkerPids(file), workers) << "a worker was replaced; " << tally;
  EXPECT_EQ(before.counters.killed_hung - before.hung, 0);
  EXPECT_EQ(before.counters.crashed - before.crashed, 0);
  EXPECT_EQ(before.counters.quarantines - before.quarantines, 0);
  EXPECT_EQ(before.counters.expired_queued - before.expired_queued, expired_queued);
}

// A call that runs past its whole time in the worker is a hang: the worker is
// killed, counted as such, and replaced.
TEST(WorkerLaneTest, AWorkerRunningACallPastItsTimeIsKilledAndCountedAsAHang) {
  auto plugin = LoadWithOneWorker("fault_slow.so", absl::Milliseconds(200));
  ASSERT_NE(plugin, nullptr);
  const CountersBefore before("fault_slow");
  auto hung = test::CallAndWait(*plugin, PluginMethod::kRoute, RouteRequest(true));
  EXPECT_TRUE(absl::IsDeadlineExceeded(hung.status())) << hung.status();
  EXPECT_THAT(std::string(hung.status().message()),
              HasSubstr("plugin fault_slow did not answer route within its timeout of 200ms"));
  EXPECT_THAT(std::string(hung.status().message()), ::testing::Not(HasSubstr("queued")));
  // The worker is killed once the call has run its 200 ms, and replaced.
  for (int i = 0; i < 500 && before.counters.worker_restarts == before.restarts; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(before.counters.killed_hung - before.hung, 1);
  EXPECT_EQ(before.counters.worker_restarts - before.restarts, 1);
  EXPECT_EQ(before.counters.expired_queued - before.expired_queued, 0);
  const std::string scraped = observability::ServerMetrics(observability::BuildInfo{}).Scrape();
  EXPECT_THAT(scraped,
              HasSubstr(absl::StrCat("escalation_plugin_worker_kills_total{cause=\"hang\","
                                     "plugin=\"fault_slow\"} ",
                                     before.counters.killed_hung.load())));
}

// While one worker waits out its restart backoff (50 ms after a first
// crash) the calls go to the other, healthy one: a call whose deadline is
// sooner than the restart is not failed UNAVAILABLE for want of a worker.
TEST(WorkerLaneTest, AWorkerWaitingToRestartTakesNoCalls) {
  LoadOptions options = test::OptionsFor(Isolation::kProcess);
  options.limits.workers = 2;
  options.limits.timeout = absl::Seconds(5);
  auto plugin = LoadPlugin(test::TestPlugin("fault_segfault.so"), options);
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  auto crashed = test::CallAndWait(**plugin, PluginMethod::kRoute, RouteRequest(true));
  ASSERT_TRUE(absl::IsInternal(crashed.status())) << crashed.status();
  std::map<absl::StatusCode, int> codes;
  std::string unavailable;
  for (int i = 0; i < 10; ++i) {
    auto answer = test::CallAndWait(**plugin, PluginMethod::kRoute, RouteRequest(false),
                                    absl::Now() + absl::Milliseconds(40));
    ++codes[answer.status().code()];
    if (absl::IsUnavailable(answer.status())) unavailable = answer.status().ToString();
  }
  // (A call can still be late on a busy machine; none is refused.)
  EXPECT_EQ(codes[absl::StatusCode::kUnavailable], 0) << unavailable;
  EXPECT_GT(codes[absl::StatusCode::kOk], 0);
}

// Whether process `pid` has ended (a zombie not yet reaped, or gone).
bool HasEnded(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  const size_t paren = stat.rfind(')');
  return paren == std::string::npos || stat.substr(paren + 2, 1) == "Z";
}

// good_a's one worker, idle once it has answered a call, killed from outside
// while it has no call (as the kernel's out-of-memory killer would).
class IdleWorkerKilledTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_ = LoadWithOneWorker("test_good_a.so", absl::Seconds(5));
    ASSERT_NE(plugin_, nullptr);
    const auto answered =
        test::CallAndWait(*plugin_, PluginMethod::kRoute, test::SleepingRouteRequest(0));
    ASSERT_TRUE(answered.ok()) << answered.status();
    const std::set<int> workers = test::WorkerPids(file_);
    ASSERT_EQ(workers.size(), 1u);
    pid_ = *workers.begin();
    before_.emplace("good_a");
    ASSERT_EQ(kill(pid_, SIGKILL), 0);
  }

  const std::string file_ = test::TestPlugin("test_good_a.so");
  std::unique_ptr<Plugin> plugin_;
  int pid_ = -1;
  std::optional<CountersBefore> before_;  // Taken just before the kill.
};

// The worker is replaced before the next call reaches it: that caller, who
// did not cause the death, is answered.
TEST_F(IdleWorkerKilledTest, ItIsReplacedBeforeTheNextCall) {
  for (int i = 0; i < 500 && !HasEnded(pid_); ++i) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_TRUE(HasEnded(pid_));

  auto answer = test::CallAndWait(*plugin_, PluginMethod::kRoute, test::SleepingRouteRequest(0));
  EXPECT_TRUE(answer.ok()) << answer.status();
  const std::set<int> now = test::WorkerPids(file_);
  EXPECT_EQ(now.size(), 1u);
  EXPECT_EQ(now.count(pid_), 0u);
  EXPECT_EQ(before_->counters.crashed - before_->crashed, 1);
  EXPECT_EQ(before_->counters.worker_restarts - before_->restarts, 1);
}

// An idle worker's lane watches its socket: the worker is replaced without
// waiting for a call to find it dead.
TEST_F(IdleWorkerKilledTest, ItIsReplacedWithoutACallToFindIt) {
  for (int i = 0; i < 500 && before_->counters.worker_restarts == before_->restarts; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(before_->counters.crashed - before_->crashed, 1);
  EXPECT_EQ(before_->counters.worker_restarts - before_->restarts, 1);
  EXPECT_EQ(test::WorkerPids(file_).count(pid_), 0u);
}

// A call that finds its worker idle is sent to it from the caller's thread.
// When the call must end sooner than the plugin's timeout (its caller's
// deadline) and the worker hangs on it, the worker is killed when the call's
// time is up, not at the plugin's timeout.
TEST(WorkerLaneTest, AnIdleWorkerHangingOnACallIsKilledWhenTheCallsTimeIsUp) {
  auto plugin = LoadWithOneWorker("fault_slow.so", absl::Seconds(30));
  ASSERT_NE(plugin, nullptr);
  ASSERT_TRUE(test::CallAndWait(*plugin, PluginMethod::kRoute, RouteRequest(false)).ok());
  const CountersBefore before("fault_slow");
  const absl::Time start = absl::Now();
  auto hung = test::CallAndWait(*plugin, PluginMethod::kRoute, RouteRequest(true),
                                start + absl::Milliseconds(300));
  EXPECT_TRUE(absl::IsDeadlineExceeded(hung.status())) << hung.status();
  EXPECT_THAT(std::string(hung.status().message()),
              HasSubstr("plugin fault_slow did not answer route before the call's deadline"));
  for (int i = 0; i < 1000 && before.counters.worker_restarts == before.restarts; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(before.counters.killed_hung - before.hung, 1);
  EXPECT_EQ(before.counters.worker_restarts - before.restarts, 1);
  // Far sooner than the plugin's 30 s timeout.
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  EXPECT_TRUE(test::CallAndWait(*plugin, PluginMethod::kRoute, RouteRequest(false)).ok());
}

// The same request crashing a worker twice is refused at once afterwards,
// naming the plugin, and crashes no more workers; other calls are answered.
TEST(WorkerLaneTest, ARequestThatCrashedTwoWorkersIsRefusedWithoutCrashingMore) {
  auto plugin = LoadWithOneWorker("fault_segfault.so", absl::Seconds(20));
  ASSERT_NE(plugin, nullptr);
  const CountersBefore before("fault_segfault");
  for (int i = 0; i < 2; ++i) {
    auto crashed = test::CallAndWait(*plugin, PluginMethod::kRoute, RouteRequest(true));
    EXPECT_TRUE(absl::IsInternal(crashed.status())) << crashed.status();
    EXPECT_THAT(std::string(crashed.status().message()),
                HasSubstr("plugin fault_segfault crashed in route (worker "));
  }
  for (int i = 0; i < 3; ++i) {
    auto refused = test::CallAndWait(*plugin, PluginMethod::kRoute, RouteRequest(true));
    EXPECT_TRUE(absl::IsInternal(refused.status())) << refused.status();
    EXPECT_THAT(std::string(refused.status().message()),
                HasSubstr("plugin fault_segfault refuses this route request: it crashed 2 of "
                          "the plugin's workers"));
  }
  auto good = test::CallAndWait(*plugin, PluginMethod::kRoute, RouteRequest(false));
  EXPECT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(before.counters.crashed - before.crashed, 2);
  EXPECT_EQ(before.counters.poison_refused - before.poison_refused, 3);
  EXPECT_EQ(before.counters.quarantines - before.quarantines, 0);

  // The server's metrics show the crashes and refusals, labelled by plugin.
  const std::string scraped = observability::ServerMetrics(observability::BuildInfo{}).Scrape();
  EXPECT_THAT(scraped,
              HasSubstr(absl::StrCat("escalation_plugin_worker_kills_total{cause=\"crash\","
                                     "plugin=\"fault_segfault\"} ", before.counters.crashed.load())));
  EXPECT_THAT(scraped,
              HasSubstr(absl::StrCat("escalation_plugin_poison_refusals_total{plugin=\"fault_segfault\"} ",
                                     before.counters.poison_refused.load())));
  EXPECT_THAT(scraped, HasSubstr("escalation_plugin_worker_restarts_total{plugin=\"fault_segfault\"} "));
}

}  // namespace
}  // namespace escalation::host
