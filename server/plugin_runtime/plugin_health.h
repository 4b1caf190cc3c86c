// What the lanes of one plugin share about how it is doing: its quarantine,
// the requests known to crash it, and its counters.
#ifndef ESCALATION_SERVER_PLUGIN_RUNTIME_PLUGIN_HEALTH_H_
#define ESCALATION_SERVER_PLUGIN_RUNTIME_PLUGIN_HEALTH_H_

#include <algorithm>
#include <atomic>
#include <string>

#include "server/plugin_runtime/plugin_limits.h"
#include "server/plugin_runtime/poison_requests.h"
#include "server/plugin_runtime/quarantine.h"
#include "server/plugin_runtime/runtime_counters.h"

namespace escalation::runtime {

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
    const int64_t ns = absl::ToInt64Nanoseconds(took);
    const int64_t was = typical_call_ns.load(std::memory_order_relaxed);
    typical_call_ns.store(was == 0 ? std::max<int64_t>(ns, 1) : was + (ns - was) / 8,
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

#endif  // ESCALATION_SERVER_PLUGIN_RUNTIME_PLUGIN_HEALTH_H_
