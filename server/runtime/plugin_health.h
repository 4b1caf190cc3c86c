// What the lanes of one plugin share about how it is doing: its quarantine,
// the requests known to crash it, and its counters.
#ifndef ESCALATION_SERVER_RUNTIME_PLUGIN_HEALTH_H_
#define ESCALATION_SERVER_RUNTIME_PLUGIN_HEALTH_H_

#include <algorithm>
#include <atomic>
#include <string>

#include "absl/time/time.h"
#include "server/runtime/plugin_limits.h"
#include "server/runtime/poison_requests.h"
#include "server/runtime/quarantine.h"
#include "server/runtime/runtime_counters.h"

namespace escalation::runtime {

// An average that follows the latest values: each one moves it an eighth of
// the way; the first is taken as it is (`average` zero means none yet).
inline absl::Duration FollowLatest(absl::Duration average, absl::Duration latest) {
  return average <= absl::ZeroDuration() ? latest : average + (latest - average) / 8;
}

struct PluginHealth {
  PluginHealth(const std::string& plugin, const PluginLimits& limits)
      : quarantine(limits.quarantine_failures, limits.quarantine_window,
                   limits.quarantine_duration),
        // A request that crashed two workers within the quarantine's window
        // is refused for as long as a quarantine lasts.
        poison(plugin, limits.quarantine_window, limits.quarantine_duration),
        counters(RuntimeCountersFor(plugin)) {}

  // Counts a hard failure towards the quarantine; true if it starts one.
  bool RecordFailure(absl::Time now) {
    if (!quarantine.RecordFailure(now)) return false;
    counters.quarantines.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  // How long one call takes, lately, from when a worker takes it up to its
  // answer (an average that follows the latest calls); zero before any.
  void RecordCallTime(absl::Duration took) {
    const absl::Duration typical = FollowLatest(TypicalCallTime(), took);
    typical_call_ns.store(std::max<int64_t>(absl::ToInt64Nanoseconds(typical), 1),
                          std::memory_order_relaxed);
  }
  absl::Duration TypicalCallTime() const {
    return absl::Nanoseconds(typical_call_ns.load(std::memory_order_relaxed));
  }

  Quarantine quarantine;
  PoisonRequests poison;
  std::atomic<int64_t> typical_call_ns{0};
  RuntimeCounters& counters;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_PLUGIN_HEALTH_H_
