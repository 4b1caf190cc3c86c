#include "server/runtime/isolated_plugin.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/wire/fixed_texts.h"
#include "server/logging/logger.h"

namespace escalation::runtime {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Milliseconds(50);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);

using observability::IntField;
using observability::StrField;

// A JSON log line (event "plugin_worker"): a worker lost, restarted, a
// quarantine, a request refused as poison. `what` names which.
template <typename... More>
void Log(absl::string_view what, const std::string& plugin, const std::string& message,
         const More&... more) {
  observability::Logger::Default().Warning(
      "plugin_worker", message, {StrField("what", what), StrField("plugin", plugin), more...});
}

// OK when a worker of `plugin` declared the same fixed texts as its first.
absl::Status SameFixedTexts(const std::string& plugin,
                            const std::shared_ptr<const host::FixedTexts>& first,
                            const std::shared_ptr<const host::FixedTexts>& worker) {
  const std::string none;
  const std::string& a = first != nullptr ? first->declared() : none;
  const std::string& b = worker != nullptr ? worker->declared() : none;
  if (a == b) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("plugin ", plugin, ": a worker declared fixed texts (", b.size(),
                   " bytes) other than its first worker's (", a.size(),
                   " bytes); a plugin must declare the same ones every time it loads"));
}

// One worker process and the thread that feeds it. When the worker dies the
// lane is not ready until it has been restarted (after a backoff); it takes
// no calls meanwhile, so they go to the plugin's other workers.
class WorkerLane final : public Lane {
 public:
  WorkerLane(WorkerOptions options, ConfigLookup config_for, std::unique_ptr<WorkerProcess> worker,
             std::string plugin)
      : options_(std::move(options)),
        config_for_(std::move(config_for)),
        worker_(std::move(worker)),
        plugin_(std::move(plugin)),
        fixed_texts_(worker_->fixed_texts()) {}

  // A worker reads its calls in order, so several are sent at once, and
  // while it answers one the next waits in its socket rather than in a
  // queue whose every call wakes this thread and then the worker. Only
  // while calls are quick, though: a call waiting behind a slow one in a
  // worker's socket could not be taken by another worker that came free.
  size_t batch() const override {
    if (typical_call_ <= absl::ZeroDuration()) return kCallsSentAhead;
    return std::clamp<size_t>(
        static_cast<size_t>(kSendAheadWithin / typical_call_), 1,
        kCallsSentAhead);
  }

  bool ready() const override { return worker_ != nullptr; }
  absl::Time RestartAt() const override { return next_start_; }

  void Restart(PluginHealth& health) override {
    absl::StatusOr<std::unique_ptr<WorkerProcess>> worker =
        WorkerProcess::Start(options_, config_for_);
    if (worker.ok()) {
      // The server expands this plugin's citations from the texts its first
      // worker declared: a worker declaring others would be answered wrongly.
      if (absl::Status same = SameFixedTexts(plugin_, fixed_texts_, (*worker)->fixed_texts());
          !same.ok()) {
        worker = same;
      }
    }
    if (!worker.ok()) {
      Log("restart_failed", plugin_,
          absl::StrCat("plugin ", plugin_,
                       " worker could not be restarted: ", worker.status().message()),
          StrField("cause", worker.status().message()));
      Failed(health, absl::Now());
      return;
    }
    worker_ = *std::move(worker);
    health.counters.worker_restarts.fetch_add(1, std::memory_order_relaxed);
    Log("restarted", plugin_,
        absl::StrCat("plugin ", plugin_, " worker ", worker_->pid(), " restarted"),
        IntField("pid", worker_->pid()));
  }

  size_t Serve(absl::Span<const std::shared_ptr<PendingCall>> calls,
               PluginHealth& health) override {
    if (worker_ == nullptr || ReplacedIfEndedIdle(health)) return 0;
    // A call's time in the worker counts from when the worker takes it up:
    // it may spend its whole budget there, however long it waited in a
    // queue, so a worker is killed only for a call it has itself run past
    // the call's time. The caller is answered at its deadline whatever the
    // worker does.
    absl::InlinedVector<WorkerProcess::Request, kCallsSentAhead> requests;
    for (const auto& call : calls) requests.push_back({call->method(), call->request()});
    absl::Time started = absl::Now();
    size_t sent = 0;
    worker_->Send(requests, &sent).IgnoreError();  // Short: the worker is gone.
    // When even the first send failed, the worker is gone: its Receive says how.
    sent = std::max<size_t>(sent, 1);
    for (size_t i = 0; i < sent; ++i) {
      calls[i]->Start();
      if (!Receive(*calls[i], started + calls[i]->budget(), &started, health)) return i + 1;
    }
    return sent;
  }

  int wait_fd() const override { return worker_ != nullptr ? worker_->fd() : -1; }

  bool SendNow(PendingCall& call) override {
    if (worker_ == nullptr) return false;
    const WorkerProcess::Request request{call.method(), call.request()};
    size_t sent = 0;
    if (!worker_->Send(absl::MakeConstSpan(&request, 1), &sent).ok() || sent != 1) return false;
    call.Start();
    return true;
  }

  bool ServeSent(PendingCall& call, absl::Time sent, bool sent_ok,
                 PluginHealth& health) override {
    if (!sent_ok) {
      // The send fails only when the worker is gone or broken; the call,
      // never taken up, goes to a worker that can take it.
      if (worker_ != nullptr) ReplacedIfEndedIdle(health, /*send_failed=*/true);
      return false;
    }
    absl::Time started = sent;
    Receive(call, sent + call.budget(), &started, health);
    return true;
  }

  void CheckIdle(PluginHealth& health) override {
    if (worker_ != nullptr) ReplacedIfEndedIdle(health);
  }

 private:
  // A worker that died while idle is replaced before any call reaches it:
  // no caller hears of a death it did not cause. So is one that could not be
  // sent a call (`send_failed`: broken, if it has not ended). Whether it was.
  bool ReplacedIfEndedIdle(PluginHealth& health, bool send_failed = false) {
    const pid_t pid = worker_->pid();
    WorkerProcess::Result ended;
    if (!worker_->EndedWhileIdle(&ended)) {
      if (!send_failed) return false;
      ended.cause = "could not be sent a call";
    }
    health.counters.crashed.fetch_add(1, std::memory_order_relaxed);
    Log("died_idle", plugin_,
        absl::StrCat("plugin ", plugin_, " worker ", pid, " ", ended.cause,
                     " while idle; it is restarted"),
        IntField("pid", pid), IntField("signal", ended.signal), StrField("cause", ended.cause));
    Lost(health);
    return true;
  }

  static constexpr size_t kCallsSentAhead = 8;
  // Calls are sent ahead while that many take about this long.
  static constexpr absl::Duration kSendAheadWithin = absl::Milliseconds(2);

  // Receives the answer to `call`, which the worker took up at `*started`,
  // and answers it; `*started` becomes when the worker's next call started.
  // Returns false when the worker failed on it and is gone (logged,
  // quarantine told, restart due).
  bool Receive(PendingCall& call, absl::Time allowed, absl::Time* started, PluginHealth& health) {
    const char* method = host::MethodName(call.method());
    const pid_t pid = worker_->pid();
    WorkerProcess::Result result = worker_->Receive(allowed);
    const absl::Time now = absl::Now();
    const absl::Duration took = now - *started;
    *started = now;
    const size_t max_response = worker_->limits().max_response_bytes;
    const size_t memory_limit_mib = worker_->limits().memory_limit_bytes >> 20;
    if (result.outcome == WorkerProcess::Outcome::kAnswered) {
      if (call.Complete(
              host::JudgeAnswer(plugin_, call.method(), result.answer, max_response))) {
        health.quarantine.RecordSuccess();
      }
      health.RecordCallTime(took);
      typical_call_ = FollowLatest(typical_call_, took);
      backoff_ = kFirstBackoff;
      return true;
    }
    // The failure counts before the caller hears of it, so that a call made
    // on hearing of it already finds the plugin quarantined, or its request
    // refused.
    const char* what = "crashed";
    bool poisoned = false;
    switch (result.outcome) {
      case WorkerProcess::Outcome::kAnswered:
        break;  // Answered above.
      case WorkerProcess::Outcome::kTimedOut:
        what = "hung";
        health.counters.killed_hung.fetch_add(1, std::memory_order_relaxed);
        break;
      case WorkerProcess::Outcome::kOverMemory:
        what = "over_memory";
        health.counters.over_memory.fetch_add(1, std::memory_order_relaxed);
        break;
      case WorkerProcess::Outcome::kDied:
        health.counters.crashed.fetch_add(1, std::memory_order_relaxed);
        poisoned = health.poison.RecordCrash(call.method(), call.request(), result.cause, now);
        break;
    }
    Log(what, plugin_,
        absl::StrCat("plugin ", plugin_, " worker ", pid, " ", result.cause, " while serving a ",
                     method, " call (", call.request().size(), " request bytes)"),
        IntField("pid", pid), IntField("signal", result.signal), StrField("call", method),
        StrField("cause", result.cause), IntField("request_bytes", call.request().size()));
    if (poisoned) {
      Log("poison_request", plugin_,
          absl::StrCat("plugin ", plugin_, ": a ", method, " request of ", call.request().size(),
                       " bytes crashed its workers again; it is refused for a while"),
          StrField("call", method), IntField("request_bytes", call.request().size()));
    }
    Lost(health);
    switch (result.outcome) {
      case WorkerProcess::Outcome::kAnswered:
        break;
      case WorkerProcess::Outcome::kTimedOut:
        call.Expire();  // As the deadline timer would; the log says the worker was killed.
        break;
      case WorkerProcess::Outcome::kOverMemory:
        call.Complete(absl::InternalError(
            absl::StrCat("plugin ", plugin_, " went over its memory limit of ", memory_limit_mib,
                         " MiB in ", method, "; its worker is restarted")));
        break;
      case WorkerProcess::Outcome::kDied:
        call.Complete(absl::InternalError(absl::StrCat("plugin ", plugin_, " crashed in ", method,
                                                       " (worker ", result.cause,
                                                       "); its worker is restarted")));
        break;
    }
    return false;
  }

  // The worker is gone: counts the failure towards the quarantine and sets
  // its restart after the backoff.
  void Lost(PluginHealth& health) {
    worker_.reset();
    Failed(health, absl::Now());
  }

  void Failed(PluginHealth& health, absl::Time now) {
    if (health.RecordFailure(now)) {
      Log("quarantined", plugin_,
          absl::StrCat("plugin ", plugin_, " quarantined after repeated failures"));
    }
    next_start_ = now + backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  }

  const WorkerOptions options_;
  const ConfigLookup config_for_;
  std::unique_ptr<WorkerProcess> worker_;
  const std::string plugin_;
  // As the plugin's first worker declared them (null: none).
  const std::shared_ptr<const host::FixedTexts> fixed_texts_;
  absl::Duration backoff_ = kFirstBackoff;
  absl::Time next_start_ = absl::InfinitePast();
  // How long a call takes in the worker, lately (zero before the first).
  absl::Duration typical_call_ = absl::ZeroDuration();
};

}  // namespace

absl::StatusOr<std::unique_ptr<IsolatedPlugin>> IsolatedPlugin::Start(const WorkerOptions& options,
                                                                      ConfigLookup config_for) {
  return std::move(StartAll({ToStart{options, std::move(config_for)}}).front());
}

std::vector<absl::StatusOr<std::unique_ptr<IsolatedPlugin>>> IsolatedPlugin::StartAll(
    const std::vector<ToStart>& plugins) {
  const size_t n = plugins.size();
  std::vector<std::vector<std::unique_ptr<WorkerProcess>>> workers(n);
  std::vector<absl::Status> failed(n);
  // Spawns worker `count` more times for plugin i, then configures them.
  auto spawn = [&](size_t i, int count) {
    for (int k = 0; k < count && failed[i].ok(); ++k) {
      absl::StatusOr<std::unique_ptr<WorkerProcess>> worker =
          WorkerProcess::Spawn(plugins[i].options);
      if (worker.ok()) {
        workers[i].push_back(*std::move(worker));
      } else {
        failed[i] = worker.status();
      }
    }
  };
  auto configure_from = [&](size_t i, size_t first) {
    for (size_t k = first; k < workers[i].size() && failed[i].ok(); ++k) {
      failed[i] = workers[i][k]->Configure(plugins[i].config_for);
    }
  };
  // The expected number of workers of each plugin first; a worker's hello
  // names the plugin, and the name its limits, among them how many workers it
  // has. Then the plugins whose count differs get more, or lose the extra.
  for (size_t i = 0; i < n; ++i) spawn(i, std::max(1, plugins[i].expected_workers));
  for (size_t i = 0; i < n; ++i) configure_from(i, 0);
  std::vector<size_t> configured(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (!failed[i].ok()) continue;
    const size_t wanted = std::max(1, workers[i].front()->limits().workers);
    configured[i] = std::min(wanted, workers[i].size());
    workers[i].resize(configured[i]);  // An extra worker is killed.
    spawn(i, static_cast<int>(wanted - configured[i]));
  }
  for (size_t i = 0; i < n; ++i) configure_from(i, configured[i]);

  std::vector<absl::StatusOr<std::unique_ptr<IsolatedPlugin>>> started;
  for (size_t i = 0; i < n; ++i) {
    if (!failed[i].ok()) {
      started.push_back(failed[i]);
      continue;
    }
    std::unique_ptr<IsolatedPlugin> plugin(new IsolatedPlugin());
    plugin->info_ = workers[i].front()->info();
    plugin->fixed_texts_ = workers[i].front()->fixed_texts();
    absl::Status same;
    for (const auto& worker : workers[i]) {
      if (same.ok()) same = SameFixedTexts(plugin->name(), plugin->fixed_texts_, worker->fixed_texts());
    }
    if (!same.ok()) {
      started.push_back(same);
      continue;
    }
    const PluginLimits limits = workers[i].front()->limits();
    std::vector<std::unique_ptr<Lane>> lanes;
    for (std::unique_ptr<WorkerProcess>& worker : workers[i]) {
      lanes.push_back(std::make_unique<WorkerLane>(plugins[i].options, plugins[i].config_for,
                                                   std::move(worker), plugin->name()));
    }
    plugin->executor_ = std::make_unique<CallExecutor>(plugin->name(), limits, std::move(lanes));
    started.push_back(std::move(plugin));
  }
  return started;
}

void IsolatedPlugin::Call(PluginMethod method, absl::string_view request, absl::Time deadline,
                          PluginReply reply) const {
  executor_->Submit(method, std::string(request), deadline, std::move(reply));
}

}  // namespace escalation::runtime
