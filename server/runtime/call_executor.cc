#include "server/runtime/call_executor.h"

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
        health(plugin, limits) {
    for (PluginMethod method :
         {PluginMethod::kRoute, PluginMethod::kAdmit, PluginMethod::kValidate}) {
      const std::string late =
          absl::StrCat("plugin ", plugin, " did not answer ", host::MethodName(method));
      auto expiry = [&](const std::string& when) {
        auto made = std::make_shared<CallExpiry>();
        made->running = absl::StrCat(late, when);
        made->queued =
            absl::StrCat(late, when, ": the call was still queued, waiting for a worker");
        made->queued_count = &health.counters.expired_queued;
        return std::shared_ptr<const CallExpiry>(std::move(made));
      };
      ExpiryMessages& messages = expired[static_cast<size_t>(method)];
      messages.by_plugin_timeout =
          expiry(absl::StrCat(" within its timeout of ", absl::FormatDuration(timeout)));
      messages.by_caller_deadline = expiry(" before the call's deadline");
    }
  }

  // Waits for calls to serve and takes up to `batch` of them, in order,
  // skipping any that expired while queued; none once stopping. A lane
  // takes no more than its share of what waits, so the others get theirs
  // (a call behind a slow one waits for it). After the first, calls are
  // taken only while their requests stay under kBatchBytes, which keeps a
  // worker's socket from filling with requests while it writes an answer.
  // A queued call whose request has since been found to crash the plugin is
  // refused here, and no worker sees it. A call with less time left than
  // the plugin's calls lately take is not started: it would most likely run
  // out while running, holding a worker that a call with time enough could
  // use. It is kept until its deadline, when it is answered as still queued.
  std::vector<std::shared_ptr<PendingCall>> Next(size_t batch) {
    std::vector<std::shared_ptr<PendingCall>> calls;
    std::vector<std::pair<std::shared_ptr<PendingCall>, absl::Status>> refused;
    {
      absl::MutexLock lock(&mu);
      size_t bytes = 0;
      while (calls.empty()) {
        mu.Await(absl::Condition(
            +[](State* s) { return s->stopping || !s->queue.empty(); }, this));
        if (stopping) break;
        const size_t share = (queue.size() + lanes - 1) / lanes;
        const absl::Time now = absl::Now();
        const absl::Duration typical = health.TypicalCallTime();
        if (!parked.empty()) {
          parked.erase(std::remove_if(parked.begin(), parked.end(),
                                      [](const auto& call) { return call->done(); }),
                       parked.end());
        }
        while (!queue.empty() && calls.size() < std::min(batch, share)) {
          std::shared_ptr<PendingCall>& call = queue.front();
          if (!call->done()) {
            if (absl::Status poison = health.poison.Check(call->method(), call->request(), now);
                !poison.ok()) {
              refused.emplace_back(std::move(call), std::move(poison));
              queue.pop_front();
              continue;
            }
            if (call->deadline() - now < typical) {
              parked.push_back(std::move(call));
              queue.pop_front();
              continue;
            }
            bytes += call->request().size();
            if (!calls.empty() && bytes > kBatchBytes) break;
            calls.push_back(std::move(call));
          }
          queue.pop_front();
        }
        if (!refused.empty()) break;  // Answered first, outside the lock.
      }
    }
    for (auto& [call, status] : refused) {
      if (call->Complete(std::move(status))) {
        health.counters.poison_refused.fetch_add(1, std::memory_order_relaxed);
      }
    }
    if (calls.empty() && !refused.empty()) return Next(batch);
    return calls;
  }

  // Waits until `until` unless the executor stops first; returns whether it
  // goes on.
  bool WaitUntil(absl::Time until) {
    absl::MutexLock lock(&mu);
    mu.AwaitWithDeadline(absl::Condition(&stopping), until);
    return !stopping;
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
    std::shared_ptr<const CallExpiry> by_plugin_timeout, by_caller_deadline;
  };
  ExpiryMessages expired[4];
  PluginHealth health;
  absl::Mutex mu;
  std::deque<std::shared_ptr<PendingCall>> queue ABSL_GUARDED_BY(mu);
  // Calls not started for want of time, held until their deadline answers them.
  std::vector<std::shared_ptr<PendingCall>> parked ABSL_GUARDED_BY(mu);
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
      for (;;) {
        if (!lane->ready()) {
          // Calls meanwhile go to the other lanes; this one takes none.
          if (!state->WaitUntil(lane->RestartAt())) return;
          lane->Restart(state->health);
          continue;
        }
        const std::vector<std::shared_ptr<PendingCall>> calls = state->Next(lane->batch());
        if (calls.empty()) return;
        const size_t served = lane->Serve(calls, state->health);
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
    left.insert(left.end(), state_->parked.begin(), state_->parked.end());
    state_->parked.clear();
  }
  for (const auto& call : left) call->Complete(state_->ShuttingDown());
}

void CallExecutor::Submit(PluginMethod method, std::string request,
                          absl::Time deadline, PluginReply reply) {
  State& s = *state_;
  const absl::Time now = absl::Now();
  absl::Time until;
  if (s.health.quarantine.Refuses(now, &until)) {
    std::move(reply)(absl::UnavailableError(absl::StrCat(
        "plugin ", s.plugin, " is quarantined after repeated failures, until ",
        absl::FormatTime(until, absl::UTCTimeZone()))));
    return;
  }
  if (absl::Status poison = s.health.poison.Check(method, request, now); !poison.ok()) {
    s.health.counters.poison_refused.fetch_add(1, std::memory_order_relaxed);
    std::move(reply)(std::move(poison));
    return;
  }
  const bool by_plugin_timeout = now + s.timeout < deadline;
  const State::ExpiryMessages& expired = s.expired[static_cast<size_t>(method)];
  auto call = std::make_shared<PendingCall>(
      method, std::move(request), now, std::min(deadline, now + s.timeout),
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
