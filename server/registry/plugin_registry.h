// The set of loaded plugins, indexed by what each one routes for, admits for
// and validates. Built once at start-up and never changed: lookups take no lock.
// It only indexes: server/loader/ loads the plugins it is given.
#ifndef ESCALATION_SERVER_REGISTRY_PLUGIN_REGISTRY_H_
#define ESCALATION_SERVER_REGISTRY_PLUGIN_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/plugin/plugin.h"
#include "server/registry/plugin_ground.h"

namespace escalation::host {

class PluginRegistry {
 public:
  // Indexes plugins already loaded (plugin_loader.h loads them), with their
  // files' SHA-256 digests if known. Fails, naming the plugin's file, on two
  // plugins with one name, on two plugins that declare one rule id or record
  // type id, on two plugins admitting for one destination, on a record type
  // of a kind its plugin does not validate, and on an extension fact declared
  // without a name or type or with two types. Two plugins validating one task
  // kind or routing for one department are indexed, and listed in overlaps().
  static absl::StatusOr<std::shared_ptr<const PluginRegistry>> FromPlugins(
      std::vector<std::unique_ptr<Plugin>> plugins,
      std::map<std::string, std::string> sha256_by_path = {});

  const std::vector<std::unique_ptr<Plugin>>& plugins() const { return plugins_; }
  // The SHA-256 (hex) of `plugin`'s file as the loader's trust check read it; ""
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
  // Indexes the record types `plugin` declares (checks as FromPlugins).
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
