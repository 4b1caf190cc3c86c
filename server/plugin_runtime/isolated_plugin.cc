#include "server/plugin_runtime/isolated_plugin.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/observability/logger.h"

namespace escalation::runtime {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Milliseconds(50);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);

// A JSON log line (event "plugin_worker"): crashes, restarts, quarantine.
void Log(const std::string& line) {
  observability::Logger::Default().Warning("plugin_worker", line);
}

// One worker process and the thread that feeds it, restarting it when it dies.
class WorkerLane final : public Lane {
 public:
  WorkerLane(WorkerOptions options, ConfigLookup config_for,
             std::unique_ptr<WorkerProcess> worker, std::string plugin)
      : options_(std::move(options)), config_for_(std::move(config_for)),
        worker_(std::move(worker)), plugin_(std::move(plugin)) {}

  // A worker reads its calls in order, so several are sent at once, and
  // while it answers one the next waits in its socket rather than in a
  // queue whose every call wakes this thread and then the worker.
  size_t batch() const override { return kCallsSentAhead; }

  size_t Serve(absl::Span<const std::shared_ptr<PendingCall>> calls,
               Quarantine& quarantine) override {
    if (worker_ == nullptr && !Restart(calls.front()->deadline(), quarantine)) {
      // The others may have time to wait for a restart; they are tried again.
      calls.front()->Complete(absl::UnavailableError(absl::StrCat(
          "plugin ", plugin_, " has no running worker: ", last_cause_)));
      return 1;
    }
    // A call's time in the worker counts from when the worker takes it up:
    // it may spend what it had left when sent, so a call that waited behind
    // another is not taken for a hang. A call first in line is held to its
    // own deadline, as it always was; the caller is answered at its
    // deadline whatever the worker does.
    absl::InlinedVector<WorkerProcess::Request, kCallsSentAhead> requests;
    for (const auto& call : calls) requests.push_back({call->method(), call->request()});
    const absl::Time sent_at = absl::Now();
    size_t sent = 0;
    worker_->Send(requests, &sent).IgnoreError();  // Short: the worker is gone.
    // When even the first send failed, the worker is gone: its Receive says how.
    sent = std::max<size_t>(sent, 1);
    absl::Time started = sent_at;
    for (size_t i = 0; i < sent; ++i) {
      const absl::Time allowed =
          started + std::max(absl::ZeroDuration(), calls[i]->deadline() - sent_at);
      if (!Receive(*calls[i], allowed, &started, quarantine)) return i + 1;
    }
    return sent;
  }

 private:
  static constexpr size_t kCallsSentAhead = 8;

  // Receives the answer to `call` (the worker's next call starts then:
  // `*answered_at`) and answers it. Returns false when the worker failed on
  // it and is gone (logged, quarantine told, restart due).
  bool Receive(PendingCall& call, absl::Time allowed, absl::Time* answered_at,
               Quarantine& quarantine) {
    const char* method = host::MethodName(call.method());
    const pid_t pid = worker_->pid();
    WorkerProcess::Result result = worker_->Receive(allowed);
    *answered_at = absl::Now();
    const size_t max_response = worker_->limits().max_response_bytes;
    if (result.outcome == WorkerProcess::Outcome::kAnswered) {
      if (call.Complete(host::JudgeAnswer(plugin_, call.method(), std::move(result.answer),
                                          max_response))) {
        quarantine.RecordSuccess();
      }
      backoff_ = kFirstBackoff;
      return true;
    }
    // The failure counts before the caller hears of it, so that a call made
    // on hearing of it already finds the plugin quarantined.
    const bool quarantined = quarantine.RecordFailure(absl::Now());
    switch (result.outcome) {
      case WorkerProcess::Outcome::kAnswered:
        break;  // Answered above.
      case WorkerProcess::Outcome::kTimedOut:
        call.Expire();  // As the deadline timer would; the log says the worker was killed.
        break;
      case WorkerProcess::Outcome::kOverMemory:
        call.Complete(absl::InternalError(absl::StrCat(
            "plugin ", plugin_, " went over its memory limit of ",
            worker_->limits().memory_limit_bytes >> 20, " MiB in ", method,
            "; its worker is restarted")));
        break;
      case WorkerProcess::Outcome::kDied:
        call.Complete(absl::InternalError(absl::StrCat(
            "plugin ", plugin_, " crashed in ", method, " (worker ", result.cause,
            "); its worker is restarted")));
        break;
    }
    Log(absl::StrCat("plugin ", plugin_, " worker ", pid, " ", result.cause,
                     " while serving a ", method, " call (", call.request().size(),
                     " request bytes)"));
    worker_.reset();
    last_cause_ = result.cause;
    if (quarantined) {
      Log(absl::StrCat("plugin ", plugin_, " quarantined after repeated failures"));
    }
    next_start_ = absl::Now() + backoff_;
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    return false;
  }

  // Starts a new worker once the backoff has passed (waiting for it if that
  // is before `deadline`). Returns whether one is running.
  bool Restart(absl::Time deadline, Quarantine& quarantine) {
    if (next_start_ > deadline) return false;
    if (absl::Now() < next_start_) absl::SleepFor(next_start_ - absl::Now());
    absl::StatusOr<std::unique_ptr<WorkerProcess>> worker =
        WorkerProcess::Start(options_, config_for_);
    if (!worker.ok()) {
      last_cause_ = std::string(worker.status().message());
      Log(absl::StrCat("plugin ", plugin_, " worker could not be restarted: ", last_cause_));
      quarantine.RecordFailure(absl::Now());
      next_start_ = absl::Now() + backoff_;
      backoff_ = std::min(backoff_ * 2, kMaxBackoff);
      return false;
    }
    worker_ = *std::move(worker);
    Log(absl::StrCat("plugin ", plugin_, " worker ", worker_->pid(), " restarted"));
    return true;
  }

  const WorkerOptions options_;
  const ConfigLookup config_for_;
  std::unique_ptr<WorkerProcess> worker_;
  const std::string plugin_;
  absl::Duration backoff_ = kFirstBackoff;
  absl::Time next_start_ = absl::InfinitePast();
  std::string last_cause_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<IsolatedPlugin>> IsolatedPlugin::Start(
    const WorkerOptions& options, ConfigLookup config_for) {
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

void IsolatedPlugin::Call(PluginMethod method, std::string request,
                          absl::Time deadline, PluginReply reply) const {
  executor_->Submit(method, std::move(request), deadline, std::move(reply));
}

}  // namespace escalation::runtime
