// What the plugin runtime counts for each plugin, for the server's metrics:
// worker restarts, workers lost by cause, quarantines, calls that expired
// still queued, and requests refused as poison. Process-wide, by plugin name.
#ifndef ESCALATION_SERVER_RUNTIME_RUNTIME_COUNTERS_H_
#define ESCALATION_SERVER_RUNTIME_RUNTIME_COUNTERS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace escalation::runtime {

struct RuntimeCounters {
  std::atomic<int64_t> worker_restarts{0};
  // Workers lost: killed past a call's deadline, ended by themselves (a
  // crash, also while idle), replaced over their memory limit.
  std::atomic<int64_t> killed_hung{0};
  std::atomic<int64_t> crashed{0};
  std::atomic<int64_t> over_memory{0};
  std::atomic<int64_t> quarantines{0};
  // Calls whose deadline passed before any worker took them up.
  std::atomic<int64_t> expired_queued{0};
  std::atomic<int64_t> poison_refused{0};
};

// The counters of the plugin named `plugin`, made at first use; they live as
// long as the process (a plugin loaded twice counts in one place).
RuntimeCounters& RuntimeCountersFor(const std::string& plugin);
// Every plugin's counters, by name, in name order.
std::vector<std::pair<std::string, const RuntimeCounters*>> AllRuntimeCounters();

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_RUNTIME_COUNTERS_H_
