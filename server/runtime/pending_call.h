// One plugin call on its way through an executor: the request, its deadline,
// and a reply that runs exactly once — whoever finishes first (the worker,
// the deadline timer, a failure) wins and later answers are dropped.
#ifndef ESCALATION_SERVER_RUNTIME_PENDING_CALL_H_
#define ESCALATION_SERVER_RUNTIME_PENDING_CALL_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/plugin/plugin.h"

namespace escalation::runtime {

using host::PluginMethod;
using host::PluginReply;

// What a call is told when its deadline passes first, built once per
// executor and method, as almost every call is answered.
struct CallExpiry {
  std::string running;  // a worker had taken the call up
  std::string queued;   // no worker had: the call waited the whole time
  std::atomic<int64_t>* queued_count = nullptr;  // counts the queued ones
};

// What a call that ran out of time is told: "plugin P did not answer M"
// "within its timeout of T" when the plugin's timeout came first, else
// "before the call's deadline".
std::string DidNotAnswer(absl::string_view plugin, PluginMethod method, absl::Duration timeout,
                         bool by_plugin_timeout);

class PendingCall {
 public:
  // The call's budget is from `submitted` to `deadline`.
  PendingCall(PluginMethod method, std::string request, absl::Time submitted,
              absl::Time deadline, std::shared_ptr<const CallExpiry> expiry,
              PluginReply reply)
      : method_(method), request_(std::move(request)), submitted_(submitted),
        deadline_(deadline), expiry_(std::move(expiry)), reply_(std::move(reply)) {}

  PluginMethod method() const { return method_; }
  const std::string& request() const { return request_; }
  absl::Time deadline() const { return deadline_; }
  // The time the call was given. A worker running it may take this long from
  // when it took the call up before it is taken for hung, however long the
  // call waited for it.
  absl::Duration budget() const { return deadline_ - submitted_; }
  bool done() const { return done_.load(std::memory_order_acquire); }

  // Marks the call taken up by a worker (it no longer waits in a queue).
  void Start() { started_.store(true, std::memory_order_release); }
  bool started() const { return started_.load(std::memory_order_acquire); }

  // Replies with `answer` unless someone already did. Returns whether this
  // answer was the one delivered; if so, adds one to `count` (when given)
  // before the reply runs, so whoever holds the answer sees it counted.
  bool Complete(absl::StatusOr<absl::string_view> answer,
                std::atomic<int64_t>* count = nullptr);
  // Replies DEADLINE_EXCEEDED, saying whether the call was still queued,
  // unless answered. The deadline timer and a lane that gave up on its
  // worker say the same thing.
  bool Expire();

 private:
  const PluginMethod method_;
  const std::string request_;
  const absl::Time submitted_;
  const absl::Time deadline_;
  const std::shared_ptr<const CallExpiry> expiry_;
  absl::Mutex mu_;
  PluginReply reply_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> done_{false};
  std::atomic<bool> started_{false};
};

// Completes calls that reach their deadline unanswered. One thread for the
// process; it holds calls weakly, and it wakes for the earliest call still
// unanswered, dropping the answered ones ahead of it whatever their deadline,
// so an answered call costs no wake-up.
class DeadlineTimer {
 public:
  static DeadlineTimer& Get();
  // At `call`'s deadline, expires it if still unanswered.
  void Watch(const std::shared_ptr<PendingCall>& call);

 private:
  DeadlineTimer();
  struct Entry;
  class Impl;
  Impl* impl_;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_PENDING_CALL_H_
