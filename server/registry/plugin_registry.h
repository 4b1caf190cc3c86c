// The set of loaded plugins, indexed by what each one routes for, admits for
// and validates. Built once at start-up and never changed: lookups take no lock.
#ifndef ESCALATION_SERVER_REGISTRY_PLUGIN_REGISTRY_H_
#define ESCALATION_SERVER_REGISTRY_PLUGIN_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/loading/loaded_plugin.h"
#include "server/registry/plugin_ground.h"
#include "server/runtime/plugin_limits.h"

namespace escalation::host {

// Where a plugin's code runs (docs/architecture.md, Fault containment).
enum class Isolation {
  // Loaded here, called on the caller's thread: tools, tests, benchmarks.
  kDirect,
  // Loaded here, called on a bounded pool of its own with deadlines.
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
  // A file of "sha256  filename" lines; when set, Load refuses any other file.
  std::string allowlist_path;

  Isolation isolation = Isolation::kDirect;
  // The escalation-plugin-host program (kProcess).
  std::string worker_binary;
  // Limits of every plugin, and of the named ones.
  runtime::PluginLimits limits;
  std::map<std::string, runtime::PluginLimits> limits_by_plugin;
  // When set, Load passes each plugin through it (the server wraps plugins
  // to measure their calls).
  std::function<std::unique_ptr<Plugin>(std::unique_ptr<Plugin>)> wrap;
};

class PluginRegistry {
 public:
  // Loads every plugin `options` names. Fails, naming the file and the reason,
  // on any file the loader may not trust (plugin_file_trust.h: outside its
  // directory, a bare or relative name, writable by others, owned by another
  // user, not on the allow-list), on any plugin that cannot be loaded or
  // configured, on two plugins with one name, on two plugins that declare
  // one rule id or record type id, on a record type of a kind its plugin does
  // not validate, on an extension fact declared without a name or type or
  // with two types, and on a configuration given for a plugin that is not
  // loaded. Two plugins validating one task kind or routing for one
  // department load, and are listed in overlaps().
  static absl::StatusOr<std::shared_ptr<const PluginRegistry>> Load(
      const LoadOptions& options);

  // Loads one plugin file (a private copy of it as it is now, without the
  // trust checks) with its configuration found as Load would, run as
  // `options.isolation` says.
  static absl::StatusOr<std::unique_ptr<Plugin>> LoadPlugin(
      const std::string& path, const LoadOptions& options);

  // Loads the plugin images in order, stopping at the first failure, except
  // that worker processes (process isolation) all start side by side. Only
  // the images' bytes are loaded, here or in the workers, however often a
  // worker is restarted.
  static std::vector<absl::StatusOr<std::unique_ptr<Plugin>>> LoadPlugins(
      const std::vector<std::shared_ptr<const PluginImage>>& images,
      const LoadOptions& options);

  // Builds a registry from plugins already loaded (checks as Load), with
  // their files' SHA-256 digests if known.
  static absl::StatusOr<std::shared_ptr<const PluginRegistry>> FromPlugins(
      std::vector<std::unique_ptr<Plugin>> plugins,
      std::map<std::string, std::string> sha256_by_path = {});

  const std::vector<std::unique_ptr<Plugin>>& plugins() const { return plugins_; }
  // The SHA-256 (hex) of `plugin`'s file as Load's trust check read it; ""
  // for a registry built FromPlugins without digests.
  std::string Sha256Of(const Plugin& plugin) const;
  // Plugins in load order; empty when none. Lookups allocate nothing.
  const std::vector<const Plugin*>& RoutersFor(v1::Department department) const;
  const Plugin* AdmitterFor(v1::Decision::Destination destination) const;
  const std::vector<const Plugin*>& ValidatorsFor(v1::TaskKind kind) const;
  // The plugins that validate `task`: the one that declares its record_type
  // when it names one (checked by CheckRecordTypeOf), else those of its kind.
  const std::vector<const Plugin*>& ValidatorsFor(const v1::Task& task) const;
  // Where the plugins' declared ground overlaps (plugin_ground.h).
  const std::vector<v1::PluginOverlap>& overlaps() const { return overlaps_; }
  // The extension facts the plugins declare, by name.
  const DeclaredExtensionFacts& extension_facts() const { return extension_facts_; }
  // The record type some plugin declares with `id` (PluginManifest.record_types),
  // or nullptr.
  const v1::RecordTypeInfo* RecordType(const std::string& id) const;
  // OK when task.record_type is empty, or names a declared record type of
  // task.kind; otherwise INVALID_ARGUMENT naming task.record_type (quoting at
  // most 100 bytes of it).
  absl::Status CheckRecordTypeOf(const v1::Task& task) const;

 private:
  PluginRegistry() = default;
  // Indexes the record types `plugin` declares (checks as Load).
  absl::Status AddRecordTypes(const Plugin& plugin);

  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::map<v1::Department, std::vector<const Plugin*>> routers_;
  std::map<v1::Decision::Destination, const Plugin*> admitters_;
  std::map<v1::TaskKind, std::vector<const Plugin*>> validators_;
  struct DeclaredRecordType {
    const v1::RecordTypeInfo* type;
    std::vector<const Plugin*> declarer;  // One plugin, as ValidatorsFor returns it.
  };
  std::map<std::string, DeclaredRecordType> record_types_;
  std::vector<v1::PluginOverlap> overlaps_;
  DeclaredExtensionFacts extension_facts_;
  std::map<std::string, std::string> sha256_by_path_;
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_REGISTRY_PLUGIN_REGISTRY_H_
