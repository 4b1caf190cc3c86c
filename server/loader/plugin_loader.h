// The loader: finds the plugin files, has loading/ judge and read them, runs
// each as the isolation mode says (built here, in a pool, or in worker
// processes) and hands them to the registry to index.
#ifndef ESCALATION_SERVER_LOADER_PLUGIN_LOADER_H_
#define ESCALATION_SERVER_LOADER_PLUGIN_LOADER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/loading/plugin_image.h"
#include "server/plugin/plugin.h"
#include "server/registry/plugin_registry.h"
#include "server/runtime/plugin_limits.h"

namespace escalation::host {

// Where a plugin's code runs (docs/architecture.md, Fault containment).
enum class Isolation {
  // Loaded here, called on the caller's thread: tools, tests, benchmarks.
  kDirect,
  // Loaded here, called on the caller's thread (the gRPC thread of the call)
  // within the plugin's limits; an overrun is answered, not preempted.
  kInProcess,
  // In worker processes of its own; never loaded here. The server's default.
  kProcess,
};

// Where to find plugins and their configuration, and how to run them.
struct LoadOptions {
  // Every *.so in these directories is loaded (in name order).
  std::vector<std::string> plugin_dirs;
  // Individual plugin files.
  std::vector<std::string> plugin_paths;
  // A file "<plugin name>.json" beside a plugin's shared object is its
  // configuration, unless `config_paths` names another.
  // Configuration files by plugin name; these win over directory files.
  std::map<std::string, std::string> config_paths;
  // A file of "sha256  filename" lines; when set, LoadPluginRegistry refuses
  // any other file.
  std::string allowlist_path;

  Isolation isolation = Isolation::kDirect;
  // The escalation-plugin-host program (kProcess).
  std::string worker_binary;
  // Limits of every plugin, and of the named ones.
  runtime::PluginLimits limits;
  std::map<std::string, runtime::PluginLimits> limits_by_plugin;
  // When set, LoadPluginRegistry passes each plugin through it (the server
  // wraps plugins to measure their calls).
  std::function<std::unique_ptr<Plugin>(std::unique_ptr<Plugin>)> wrap;
};

// Loads every plugin `options` names and indexes them. Fails, naming the file
// and the reason, on any file the loader may not trust (plugin_file_trust.h:
// outside its directory, a bare or relative name, writable by others, owned by
// another user, not on the allow-list), on any plugin that cannot be loaded or
// configured, on a configuration given for a plugin that is not loaded, and
// on anything PluginRegistry::FromPlugins refuses.
absl::StatusOr<std::shared_ptr<const PluginRegistry>> LoadPluginRegistry(
    const LoadOptions& options);

// Loads one plugin file (a private copy of it as it is now, without the trust
// checks) with its configuration found as LoadPluginRegistry would, run as
// `options.isolation` says.
absl::StatusOr<std::unique_ptr<Plugin>> LoadPlugin(const std::string& path,
                                                   const LoadOptions& options);

// Loads the plugin images in order, stopping at the first failure, except
// that worker processes (process isolation) all start side by side. Only the
// images' bytes are loaded, here or in the workers, however often a worker is
// restarted.
std::vector<absl::StatusOr<std::unique_ptr<Plugin>>> LoadPlugins(
    const std::vector<std::shared_ptr<const PluginImage>>& images, const LoadOptions& options);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_LOADER_PLUGIN_LOADER_H_
