// One plugin call on its way through an executor: the request, its deadline,
// and a reply that runs exactly once — whoever finishes first (the worker,
// the deadline timer, a failure) wins and later answers are dropped.
#ifndef ESCALATION_SERVER_PLUGIN_RUNTIME_PENDING_CALL_H_
#define ESCALATION_SERVER_PLUGIN_RUNTIME_PENDING_CALL_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "server/plugin_host/plugin.h"

namespace escalation::runtime {

using host::PluginMethod;
using host::PluginReply;

class PendingCall {
 public:
  // `expired` is what the caller is told if the deadline passes first; it is
  // shared and built once per executor, as almost every call is answered.
  PendingCall(PluginMethod method, std::string request, absl::Time deadline,
              std::shared_ptr<const std::string> expired, PluginReply reply)
      : method_(method), request_(std::move(request)), deadline_(deadline),
        expired_(std::move(expired)), reply_(std::move(reply)) {}

  PluginMethod method() const { return method_; }
  const std::string& request() const { return request_; }
  absl::Time deadline() const { return deadline_; }
  bool done() const { return done_.load(std::memory_order_acquire); }

  // Replies with `answer` unless someone already did. Returns whether this
  // answer was the one delivered.
  bool Complete(absl::StatusOr<std::string> answer);
  // Replies DEADLINE_EXCEEDED with the expiry message, unless answered. The
  // deadline timer and a lane that gave up on its worker say the same thing.
  bool Expire() { return Complete(absl::DeadlineExceededError(*expired_)); }

 private:
  const PluginMethod method_;
  const std::string request_;
  const absl::Time deadline_;
  const std::shared_ptr<const std::string> expired_;
  absl::Mutex mu_;
  PluginReply reply_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> done_{false};
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

#endif  // ESCALATION_SERVER_PLUGIN_RUNTIME_PENDING_CALL_H_
