#include "server/plugin_runtime/call_executor.h"

#include <algorithm>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace escalation::runtime {

struct CallExecutor::State {
  State(std::string plugin_name, const PluginLimits& limits)
      : plugin(std::move(plugin_name)),
        timeout(limits.timeout),
        queue_size(limits.queue_size),
        quarantine(limits.quarantine_failures, limits.quarantine_window,
                   limits.quarantine_duration) {
    for (PluginMethod method :
         {PluginMethod::kRoute, PluginMethod::kAdmit, PluginMethod::kValidate}) {
      const std::string late =
          absl::StrCat("plugin ", plugin, " did not answer ", host::MethodName(method));
      ExpiryMessages& messages = expired[static_cast<size_t>(method)];
      messages.by_plugin_timeout = std::make_shared<const std::string>(absl::StrCat(
          late, " within its timeout of ", absl::FormatDuration(timeout)));
      messages.by_caller_deadline =
          std::make_shared<const std::string>(absl::StrCat(late, " before the call's deadline"));
    }
  }

  // Waits for calls to serve and takes up to `batch` of them, in order,
  // skipping any that expired while queued; none once stopping. A lane
  // takes no more than its share of what waits, so the others get theirs
  // (a call behind a slow one waits for it). After the first, calls are
  // taken only while their requests stay under kBatchBytes, which keeps a
  // worker's socket from filling with requests while it writes an answer.
  std::vector<std::shared_ptr<PendingCall>> Next(size_t batch) {
    std::vector<std::shared_ptr<PendingCall>> calls;
    absl::MutexLock lock(&mu);
    size_t bytes = 0;
    while (calls.empty()) {
      mu.Await(absl::Condition(
          +[](State* s) { return s->stopping || !s->queue.empty(); }, this));
      if (stopping) return {};
      const size_t share = (queue.size() + lanes - 1) / lanes;
      while (!queue.empty() && calls.size() < std::min(batch, share)) {
        std::shared_ptr<PendingCall>& call = queue.front();
        if (!call->done()) {
          bytes += call->request().size();
          if (!calls.empty() && bytes > kBatchBytes) break;
          calls.push_back(std::move(call));
        }
        queue.pop_front();
      }
    }
    return calls;
  }

  // Puts calls a lane took but never started back at the front.
  void Requeue(absl::Span<const std::shared_ptr<PendingCall>> calls) {
    bool stopped;
    {
      absl::MutexLock lock(&mu);
      stopped = stopping;
      if (!stopped) queue.insert(queue.begin(), calls.begin(), calls.end());
    }
    if (stopped) {
      for (const auto& call : calls) call->Complete(ShuttingDown());
    }
  }

  absl::Status ShuttingDown() const {
    return absl::UnavailableError(absl::StrCat("plugin ", plugin, " is shutting down"));
  }

  static constexpr size_t kBatchBytes = 32 * 1024;
  const std::string plugin;
  const absl::Duration timeout;
  const size_t queue_size;
  size_t lanes = 1;  // Set before any lane starts.
  // What an expired call is told, per method (indexed by PluginMethod).
  struct ExpiryMessages {
    std::shared_ptr<const std::string> by_plugin_timeout, by_caller_deadline;
  };
  ExpiryMessages expired[4];
  Quarantine quarantine;
  absl::Mutex mu;
  std::deque<std::shared_ptr<PendingCall>> queue ABSL_GUARDED_BY(mu);
  bool stopping ABSL_GUARDED_BY(mu) = false;
};

CallExecutor::CallExecutor(std::string plugin, const PluginLimits& limits,
                           std::vector<std::unique_ptr<Lane>> lanes)
    : state_(std::make_shared<State>(std::move(plugin), limits)) {
  state_->lanes = std::max<size_t>(1, lanes.size());
  for (std::unique_ptr<Lane>& lane : lanes) {
    // Each thread shares the state, so a thread left in plugin code after the
    // executor is gone still finds it.
    std::thread([state = state_, lane = std::shared_ptr<Lane>(std::move(lane))] {
      for (std::vector<std::shared_ptr<PendingCall>> calls = state->Next(lane->batch());
           !calls.empty(); calls = state->Next(lane->batch())) {
        const size_t served = lane->Serve(calls, state->quarantine);
        if (served < calls.size()) {
          state->Requeue(absl::MakeConstSpan(calls).subspan(served));
        }
      }
    }).detach();
  }
}

CallExecutor::~CallExecutor() {
  std::deque<std::shared_ptr<PendingCall>> left;
  {
    absl::MutexLock lock(&state_->mu);
    state_->stopping = true;
    left.swap(state_->queue);
  }
  for (const auto& call : left) call->Complete(state_->ShuttingDown());
}

void CallExecutor::Submit(PluginMethod method, std::string request,
                          absl::Time deadline, PluginReply reply) {
  State& s = *state_;
  const absl::Time now = absl::Now();
  absl::Time until;
  if (s.quarantine.Refuses(now, &until)) {
    std::move(reply)(absl::UnavailableError(absl::StrCat(
        "plugin ", s.plugin, " is quarantined after repeated failures, until ",
        absl::FormatTime(until, absl::UTCTimeZone()))));
    return;
  }
  const bool by_plugin_timeout = now + s.timeout < deadline;
  const State::ExpiryMessages& expired = s.expired[static_cast<size_t>(method)];
  auto call = std::make_shared<PendingCall>(
      method, std::move(request), std::min(deadline, now + s.timeout),
      by_plugin_timeout ? expired.by_plugin_timeout : expired.by_caller_deadline,
      std::move(reply));
  bool full;
  {
    absl::MutexLock lock(&s.mu);
    full = s.queue.size() >= s.queue_size;
    if (!full) s.queue.push_back(call);
  }
  if (full) {
    call->Complete(absl::ResourceExhaustedError(absl::StrCat(
        "plugin ", s.plugin, " is overloaded: ", s.queue_size,
        " calls already wait for it")));
    return;
  }
  DeadlineTimer::Get().Watch(call);
}

}  // namespace escalation::runtime
