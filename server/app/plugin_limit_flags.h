// Per-plugin limits from the command line: "NAME.KEY=VALUE" entries that
// override the server-wide defaults for one plugin, e.g.
//   --plugin_limits=leadership_desk.timeout=500ms,customer_service.workers=4
// Keys: timeout, workers, queue_size, max_response_bytes, memory_limit_mb,
// quarantine_failures, quarantine_window, quarantine_duration.
#ifndef ESCALATION_SERVER_APP_PLUGIN_LIMIT_FLAGS_H_
#define ESCALATION_SERVER_APP_PLUGIN_LIMIT_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "server/runtime/plugin_limits.h"

namespace escalation::app {

// Sets `key` of `limits` from `value`; the error names the key and value.
absl::Status SetLimit(const std::string& key, const std::string& value,
                      runtime::PluginLimits* limits);

// Applies `entries` over `defaults` into `by_plugin`; the error names the
// entry that is not NAME.KEY=VALUE or has a bad key or value.
absl::Status ParsePluginLimits(const std::vector<std::string>& entries,
                               const runtime::PluginLimits& defaults,
                               std::map<std::string, runtime::PluginLimits>* by_plugin);

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_PLUGIN_LIMIT_FLAGS_H_
