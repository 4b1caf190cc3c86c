// The ground each loaded plugin declares in its manifest — the task kinds it
// validates, the departments it routes for, the extension facts it reads —
// and where two plugins' ground overlaps.
#ifndef ESCALATION_SERVER_REGISTRY_PLUGIN_GROUND_H_
#define ESCALATION_SERVER_REGISTRY_PLUGIN_GROUND_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "escalation/v1/plugin.pb.h"
#include "server/plugin/plugin.h"

namespace escalation::host {

// An extension fact as the loaded plugins declare it (PluginManifest.
// extension_facts): its type, and every plugin that declares it.
struct DeclaredExtensionFact {
  v1::ExtensionFactType type = v1::EXTENSION_FACT_TYPE_UNSPECIFIED;
  std::vector<std::string> plugins;
};
// By fact name.
using DeclaredExtensionFacts = std::map<std::string, DeclaredExtensionFact, std::less<>>;

// "bool", "number", "string" (what a value of `type` is called in errors).
const char* ExtensionFactTypeName(v1::ExtensionFactType type);

// Adds the extension facts `plugin` declares to `facts`. FAILED_PRECONDITION
// naming the plugin's file on a fact without a name or a type, one it
// declares twice, or one another plugin declares with another type.
absl::Status AddExtensionFacts(const Plugin& plugin, DeclaredExtensionFacts* facts);

// Every task kind more than one plugin validates and every department more
// than one plugin routes for, the plugins in load order.
std::vector<v1::PluginOverlap> FindOverlaps(
    const std::map<v1::Department, std::vector<const Plugin*>>& routers,
    const std::map<v1::TaskKind, std::vector<const Plugin*>>& validators);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_REGISTRY_PLUGIN_GROUND_H_
