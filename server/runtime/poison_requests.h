// Requests that crash a plugin's workers: the same method and request bytes
// (apart from the evaluation time, which the server stamps on each call)
// that crashed a worker twice within `remember` are refused (INTERNAL) for
// `refuse` after each crash from the second on, so a caller that repeats
// one does not take the plugin's workers down again and again.
#ifndef ESCALATION_SERVER_RUNTIME_POISON_REQUESTS_H_
#define ESCALATION_SERVER_RUNTIME_POISON_REQUESTS_H_

#include <atomic>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/plugin/plugin.h"

namespace escalation::runtime {

class PoisonRequests {
 public:
  PoisonRequests(std::string plugin, absl::Duration remember, absl::Duration refuse)
      : plugin_(std::move(plugin)), remember_(remember), refuse_(refuse) {}

  // Records that `request` crashed a worker at `now` (`cause`: how the worker
  // ended). Returns true when this crash makes (or keeps) it refused.
  bool RecordCrash(host::PluginMethod method, absl::string_view request,
                   const std::string& cause, absl::Time now);
  // INTERNAL naming the plugin when `request` is refused at `now`; OK
  // otherwise. Costs one load while no request was ever recorded.
  absl::Status Check(host::PluginMethod method, absl::string_view request, absl::Time now);

 private:
  struct Entry {
    int crashes = 0;
    absl::Time last_crash;
    absl::Time refused_until = absl::InfinitePast();
    std::string cause;
  };
  // At most this many requests are remembered; the stalest goes first.
  static constexpr size_t kMaxEntries = 1024;
  void Prune(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string plugin_;
  const absl::Duration remember_;
  const absl::Duration refuse_;
  std::atomic<bool> any_{false};
  absl::Mutex mu_;
  // By SHA-256 of the method and the request bytes.
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  absl::Time pruned_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_POISON_REQUESTS_H_
