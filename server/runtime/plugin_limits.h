// The bounds a plugin runs within, the same in both isolation modes unless said
// otherwise (docs/architecture.md, Fault containment). Set per plugin by the
// server's flags.
#ifndef ESCALATION_SERVER_RUNTIME_PLUGIN_LIMITS_H_
#define ESCALATION_SERVER_RUNTIME_PLUGIN_LIMITS_H_

#include <cstddef>

#include "absl/time/time.h"

namespace escalation::runtime {

struct PluginLimits {
  // A call's deadline is the smaller of the client's and this, from the
  // moment the call is handed to the plugin's queue. A worker is killed as
  // hung only when it has itself run one call for longer than that call's
  // time (deadline less the moment it was handed over).
  absl::Duration timeout = absl::Milliseconds(250);
  // Threads (in process) or worker processes (isolated) serving the plugin.
  int workers = 2;
  // Calls waiting for a worker; one more answers RESOURCE_EXHAUSTED.
  int queue_size = 256;
  // A larger answer is refused, not copied.
  size_t max_response_bytes = size_t{4} << 20;
  // Isolated only: a worker whose resident memory passes this is replaced.
  size_t memory_limit_bytes = size_t{512} << 20;
  // Quarantine: after `quarantine_failures` crashes or hangs within
  // `quarantine_window`, calls answer UNAVAILABLE for `quarantine_duration`.
  int quarantine_failures = 5;
  absl::Duration quarantine_window = absl::Seconds(30);
  absl::Duration quarantine_duration = absl::Seconds(10);
  // Isolated only: how long a worker may take to load and configure.
  absl::Duration startup_timeout = absl::Seconds(10);
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_PLUGIN_LIMITS_H_
