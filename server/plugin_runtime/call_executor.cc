#include "server/plugin_runtime/call_executor.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"

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

  // Waits for the next call to serve; null once stopping.
  std::shared_ptr<PendingCall> Next() {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(
        +[](State* s) { return s->stopping || !s->queue.empty(); }, this));
    if (stopping) return nullptr;
    std::shared_ptr<PendingCall> call = std::move(queue.front());
    queue.pop_front();
    return call;
  }

  const std::string plugin;
  const absl::Duration timeout;
  const size_t queue_size;
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
  for (std::unique_ptr<Lane>& lane : lanes) {
    // Each thread shares the state, so a thread left in plugin code after the
    // executor is gone still finds it.
    std::thread([state = state_, lane = std::shared_ptr<Lane>(std::move(lane))] {
      while (std::shared_ptr<PendingCall> call = state->Next()) {
        if (call->done()) continue;  // Expired while queued.
        lane->Serve(call, state->quarantine);
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
  for (const auto& call : left) {
    call->Complete(absl::UnavailableError(
        absl::StrCat("plugin ", state_->plugin, " is shutting down")));
  }
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
