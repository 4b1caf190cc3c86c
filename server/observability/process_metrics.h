// The standard process_* metrics (the Prometheus client conventions), read
// from /proc at scrape time: for the server itself without labels, and for
// each plugin worker process it started, labelled by the worker's pid and
// plugin file.
//   process_cpu_seconds_total        counter  user + system CPU
//   process_resident_memory_bytes    gauge
//   process_virtual_memory_bytes     gauge
//   process_open_fds                 gauge
//   process_max_fds                  gauge    the soft RLIMIT_NOFILE
//   process_start_time_seconds       gauge    since the Unix epoch
#ifndef ESCALATION_SERVER_OBSERVABILITY_PROCESS_METRICS_H_
#define ESCALATION_SERVER_OBSERVABILITY_PROCESS_METRICS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace escalation::observability {

struct ProcessStats {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
  double start_time_seconds = 0;
};

// What /proc says of `pid`; NOT_FOUND when it is gone.
absl::StatusOr<ProcessStats> ReadProcessStats(pid_t pid);

struct PluginWorker {
  pid_t pid;
  std::string plugin_file;  // The file name of the worker's --plugin=PATH.
};
// The children of `parent` that run a plugin (started with --plugin=PATH).
std::vector<PluginWorker> FindPluginWorkers(pid_t parent);

class ProcessCollector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_PROCESS_METRICS_H_
