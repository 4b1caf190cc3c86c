// Runs one plugin's calls off the caller's thread: a bounded queue in front
// of a fixed set of lanes (threads, each serving calls through a worker
// process of its own). A call that finds the queue empty and a lane idle is
// sent to that lane's worker from the caller's thread (Lane::SendNow).
// Every call is answered exactly once: by its lane, at its deadline
// (DEADLINE_EXCEEDED, saying whether it was still queued), when the queue is
// full (RESOURCE_EXHAUSTED), while the plugin is quarantined (UNAVAILABLE) or
// when its request is known to crash the plugin (INTERNAL) — each naming the
// plugin. A lane that is not ready (its worker restarting) takes no calls.
#ifndef ESCALATION_SERVER_RUNTIME_CALL_EXECUTOR_H_
#define ESCALATION_SERVER_RUNTIME_CALL_EXECUTOR_H_

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "server/runtime/pending_call.h"
#include "server/runtime/plugin_limits.h"
#include "server/runtime/plugin_health.h"

namespace escalation::runtime {

// One way of serving calls, used by one thread at a time.
class Lane {
 public:
  virtual ~Lane() = default;
  // How many queued calls the lane takes at once. A lane that can hold
  // several (a worker process reads its calls in order) is handed up to this
  // many, when that many wait, so one wake-up serves them all.
  virtual size_t batch() const { return 1; }
  // A lane whose worker is being replaced is not ready: it takes no calls,
  // and the executor calls Restart once RestartAt has come.
  virtual bool ready() const { return true; }
  virtual absl::Time RestartAt() const { return absl::InfinitePast(); }
  virtual void Restart(PluginHealth& /*health*/) {}
  // Answers `calls` in order (call->Start when taken up, call->Complete) and
  // returns how many it served; the rest were never started (their worker
  // failed on an earlier one, or had died before) and the executor queues
  // them again, first. Reports crashes and hangs to `health`, and answered
  // calls with RecordSuccess.
  virtual size_t Serve(absl::Span<const std::shared_ptr<PendingCall>> calls,
                       PluginHealth& health) = 0;

  // A call that finds a lane idle is sent from the caller's thread, so the
  // worker sees it without waking the lane's thread first; the lane's
  // thread, idle, waits on this descriptor (the worker's socket) as well,
  // and the worker's answer wakes it. -1: none (the lane is woken for each
  // call).
  virtual int wait_fd() const { return -1; }
  // On a caller's thread, while the lane's thread waits idle: sends `call`,
  // taken up at once (PendingCall::Start); false when it could not be sent.
  virtual bool SendNow(PendingCall& /*call*/) { return false; }
  // On the lane's thread: answers `call`, which SendNow sent at `sent`, as
  // Serve would (true), or, when it could not be sent (`sent_ok` false: the
  // worker had ended while idle), leaves it unstarted for the executor to
  // queue again (false).
  virtual bool ServeSent(PendingCall& /*call*/, absl::Time /*sent*/, bool /*sent_ok*/,
                         PluginHealth& /*health*/) {
    return false;
  }
  // On the lane's thread, woken while idle with no call sent: a worker that
  // ended meanwhile is found now, and replaced.
  virtual void CheckIdle(PluginHealth& /*health*/) {}
};

class CallExecutor {
 public:
  CallExecutor(std::string plugin, const PluginLimits& limits,
               std::vector<std::unique_ptr<Lane>> lanes);
  // Stops the lanes. A lane stuck in plugin code is left behind (a thread
  // cannot be stopped safely); it ends with the process.
  ~CallExecutor();
  CallExecutor(const CallExecutor&) = delete;
  CallExecutor& operator=(const CallExecutor&) = delete;

  void Submit(PluginMethod method, std::string request, absl::Time deadline,
              PluginReply reply);

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_CALL_EXECUTOR_H_
