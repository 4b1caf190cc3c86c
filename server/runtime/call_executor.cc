#include "server/runtime/call_executor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace escalation::runtime {

namespace {

// A lane's thread and what the executor knows of it. While the thread waits
// idle (in State::idle), a caller may take the lane and send it a call
// (Lane::SendNow); otherwise only the thread touches its lane.
struct LaneSlot {
  explicit LaneSlot(std::unique_ptr<Lane> l)
      : lane(std::move(l)), wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~LaneSlot() {
    if (wake >= 0) close(wake);
  }
  void Wake() const {
    const uint64_t one = 1;
    while (write(wake, &one, sizeof one) < 0 && errno == EINTR) {
    }
  }
  // Waits until the worker's socket or `wake` is readable, or `wait_until`,
  // and empties `wake`.
  void WaitIdle() const {
    pollfd fds[2] = {{wake, POLLIN, 0}, {lane->wait_fd(), POLLIN | POLLRDHUP, 0}};
    const nfds_t count = fds[1].fd >= 0 ? 2 : 1;
    const int64_t ms = absl::ToInt64Milliseconds(wait_until - absl::Now()) + 1;
    const int timeout = static_cast<int>(std::clamp<int64_t>(ms, 0, 1 << 30));
    while (poll(fds, count, timeout) < 0 && errno == EINTR) {
    }
    uint64_t drained;
    while (read(wake, &drained, sizeof drained) < 0 && errno == EINTR) {
    }
  }

  const std::unique_ptr<Lane> lane;
  const int wake;
  // While idle the thread waits until then at most (the plugin's timeout
  // from when it began): a call sent to it (hung, say) is seen by then, and
  // one that must be answered sooner wakes it.
  absl::Time wait_until;
  // Set under State::mu by the caller that took the idle lane.
  std::shared_ptr<PendingCall> sent;
  absl::Time sent_at;
  bool sending = false;  // SendNow runs (outside the lock).
  bool sent_ok = false;
  bool idle = false;
};

}  // namespace

struct CallExecutor::State {
  State(std::string plugin_name, const PluginLimits& limits)
      : plugin(std::move(plugin_name)),
        timeout(limits.timeout),
        queue_size(limits.queue_size),
        health(plugin, limits) {
    for (PluginMethod method :
         {PluginMethod::kRoute, PluginMethod::kAdmit, PluginMethod::kValidate}) {
      auto expiry = [&](bool by_plugin_timeout) {
        auto made = std::make_shared<CallExpiry>();
        made->running = DidNotAnswer(plugin, method, timeout, by_plugin_timeout);
        made->queued =
            absl::StrCat(made->running, ": the call was still queued, waiting for a worker");
        made->queued_count = &health.counters.expired_queued;
        return std::shared_ptr<const CallExpiry>(std::move(made));
      };
      ExpiryMessages& messages = expired[static_cast<size_t>(method)];
      messages.by_plugin_timeout = expiry(true);
      messages.by_caller_deadline = expiry(false);
    }
  }

  // Takes up to `batch` queued calls, in order, skipping any that expired
  // while queued. A lane takes no more than its share of what waits, so the
  // others get theirs (a call behind a slow one waits for it). After the
  // first, calls are taken only while their requests stay under kBatchBytes,
  // which keeps a worker's socket from filling with requests while it writes
  // an answer. A queued call whose request has since been found to crash the
  // plugin is refused here, and no worker sees it. A call with less time
  // left than the plugin's calls lately take is not started: it would most
  // likely run out while running, holding a worker that a call with time
  // enough could use. It is kept until its deadline, when it is answered as
  // still queued. With nothing to take, `slot` is marked idle (`*waiting`):
  // its thread then waits to be sent a call or woken for a queued one.
  // Nothing once stopping (`*stop`).
  std::vector<std::shared_ptr<PendingCall>> TakeOrIdle(LaneSlot* slot, size_t batch, bool* stop,
                                                       bool* waiting) {
    std::vector<std::shared_ptr<PendingCall>> calls;
    std::vector<std::pair<std::shared_ptr<PendingCall>, absl::Status>> refused;
    {
      absl::MutexLock lock(&mu);
      if (stopping) {
        *stop = true;
        return calls;
      }
      size_t bytes = 0;
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
      if (calls.empty() && refused.empty()) {
        slot->idle = true;
        slot->wait_until = now + timeout;
        idle.push_back(slot);
        *waiting = true;
      }
    }
    for (auto& [call, status] : refused) {
      if (call->Complete(std::move(status))) {
        health.counters.poison_refused.fetch_add(1, std::memory_order_relaxed);
      }
    }
    return calls;
  }

  // The lane's thread, woken while idle, takes its lane back: the call a
  // caller sent it, if one did (once the send is done), else null.
  std::shared_ptr<PendingCall> Unidle(LaneSlot* slot) {
    absl::MutexLock lock(&mu);
    if (slot->idle) {
      slot->idle = false;
      idle.erase(std::find(idle.begin(), idle.end(), slot));
      return nullptr;
    }
    mu.Await(absl::Condition(+[](LaneSlot* s) { return !s->sending; }, slot));
    return std::move(slot->sent);
  }

  // Where a submitted call goes, decided under one lock. When every lane is
  // idle and no call waits, the caller sends it to one (`*send`, marked
  // sending: see Send); under load calls wait in the queue and a lane takes
  // several at once (one wake-up and one write for all), and an idle lane,
  // if any, is to be woken for it (`*wake`). False: the queue is full.
  bool Place(const std::shared_ptr<PendingCall>& call, absl::Time now, LaneSlot** send,
             LaneSlot** wake) {
    absl::MutexLock lock(&mu);
    if (idle.size() == lanes && queue.empty() && !stopping &&
        call->deadline() - now >= health.TypicalCallTime()) {
      *send = TakeIdle();
      (*send)->sending = true;
      (*send)->sent = call;
      (*send)->sent_at = now;
      return true;
    }
    if (queue.size() >= queue_size) return false;
    queue.push_back(call);
    *wake = TakeIdle();
    return true;
  }

  // Sends `call` to the idle lane Place gave it. The lane's thread waits
  // (Unidle) until the send is done: only one side touches the worker at a
  // time.
  void Send(LaneSlot* slot, PendingCall& call) {
    const bool ok = slot->lane->SendNow(call);
    absl::Time waits_until;
    {
      absl::MutexLock lock(&mu);
      slot->sent_ok = ok;
      slot->sending = false;
      waits_until = slot->wait_until;
    }
    // The lane's thread must take up a call it cannot answer in time (or
    // could not send) before its wait ends: a hung worker is killed when the
    // call's time is up.
    if (!ok || call.deadline() < waits_until) slot->Wake();
  }

  // An idle lane, no longer marked idle (the caller wakes it or sends to
  // it); null when none is.
  LaneSlot* TakeIdle() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (idle.empty()) return nullptr;
    LaneSlot* slot = idle.back();
    idle.pop_back();
    slot->idle = false;
    return slot;
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
    LaneSlot* wake = nullptr;
    {
      absl::MutexLock lock(&mu);
      stopped = stopping;
      if (!stopped) {
        queue.insert(queue.begin(), calls.begin(), calls.end());
        wake = TakeIdle();
      }
    }
    if (stopped) {
      for (const auto& call : calls) call->Complete(ShuttingDown());
    }
    if (wake != nullptr) wake->Wake();
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
  std::vector<LaneSlot*> idle ABSL_GUARDED_BY(mu);
  std::vector<std::unique_ptr<LaneSlot>> slots;  // Set before any lane starts.
  bool stopping ABSL_GUARDED_BY(mu) = false;
};

CallExecutor::CallExecutor(std::string plugin, const PluginLimits& limits,
                           std::vector<std::unique_ptr<Lane>> lanes)
    : state_(std::make_shared<State>(std::move(plugin), limits)) {
  state_->lanes = std::max<size_t>(1, lanes.size());
  for (std::unique_ptr<Lane>& lane : lanes) {
    state_->slots.push_back(std::make_unique<LaneSlot>(std::move(lane)));
  }
  for (const std::unique_ptr<LaneSlot>& owned : state_->slots) {
    // Each thread shares the state (and its slot with it), so a thread left
    // in plugin code after the executor is gone still finds it.
    std::thread([state = state_, slot = owned.get()] {
      Lane& lane = *slot->lane;
      for (;;) {
        if (!lane.ready()) {
          // Calls meanwhile go to the other lanes; this one takes none.
          if (!state->WaitUntil(lane.RestartAt())) return;
          lane.Restart(state->health);
          continue;
        }
        bool stop = false, waiting = false;
        const std::vector<std::shared_ptr<PendingCall>> calls =
            state->TakeOrIdle(slot, lane.batch(), &stop, &waiting);
        if (stop) return;
        if (!calls.empty()) {
          const size_t served = lane.Serve(calls, state->health);
          if (served < calls.size()) {
            state->Requeue(absl::MakeConstSpan(calls).subspan(served));
          }
          continue;
        }
        if (!waiting) continue;  // It refused poisoned calls: it looks again.
        slot->WaitIdle();
        if (std::shared_ptr<PendingCall> sent = state->Unidle(slot); sent != nullptr) {
          if (!lane.ServeSent(*sent, slot->sent_at, slot->sent_ok, state->health)) {
            state->Requeue(absl::MakeConstSpan(&sent, 1));
          }
          continue;
        }
        lane.CheckIdle(state->health);
      }
    }).detach();
  }
}

CallExecutor::~CallExecutor() {
  std::deque<std::shared_ptr<PendingCall>> left;
  std::vector<LaneSlot*> idle;
  {
    absl::MutexLock lock(&state_->mu);
    state_->stopping = true;
    left.swap(state_->queue);
    left.insert(left.end(), state_->parked.begin(), state_->parked.end());
    state_->parked.clear();
    idle.swap(state_->idle);
    for (LaneSlot* slot : idle) slot->idle = false;
  }
  for (LaneSlot* slot : idle) slot->Wake();
  for (const auto& call : left) call->Complete(state_->ShuttingDown());
}

void CallExecutor::Submit(PluginMethod method, std::string request,
                          absl::Time deadline, PluginReply reply) {
  State& s = *state_;
  const absl::Time now = absl::Now();
  absl::Time until;
  if (s.health.quarantine.Refuses(now, &until)) {
    std::move(reply)(absl::UnavailableError(QuarantinedMessage(s.plugin, until)));
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
  LaneSlot* send = nullptr;
  LaneSlot* wake = nullptr;
  if (!s.Place(call, now, &send, &wake)) {
    call->Complete(absl::ResourceExhaustedError(absl::StrCat(
        "plugin ", s.plugin, " is overloaded: ", s.queue_size,
        " calls already wait for it")));
    return;
  }
  if (send != nullptr) s.Send(send, *call);
  if (wake != nullptr) wake->Wake();
  DeadlineTimer::Get().Watch(call);
}

}  // namespace escalation::runtime
