#include "server/registry/plugin_ground.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace escalation::host {
namespace {

std::vector<std::string> NamesOf(const std::vector<const Plugin*>& plugins) {
  std::vector<std::string> names;
  for (const Plugin* p : plugins) names.push_back(p->name());
  return names;
}

}  // namespace

const char* ExtensionFactTypeName(v1::ExtensionFactType type) {
  switch (type) {
    case v1::EXTENSION_FACT_TYPE_BOOL: return "bool";
    case v1::EXTENSION_FACT_TYPE_NUMBER: return "number";
    case v1::EXTENSION_FACT_TYPE_STRING: return "string";
    default: return "unspecified";
  }
}

absl::Status AddExtensionFacts(const Plugin& plugin, DeclaredExtensionFacts* facts) {
  for (const v1::ExtensionFactInfo& fact : plugin.info().manifest().extension_facts()) {
    const std::string where =
        absl::StrCat("plugin ", plugin.path(), ": extension fact \"", fact.name(), "\"");
    if (fact.name().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("plugin ", plugin.path(), ": declares an extension fact with no name"));
    }
    if (fact.type() == v1::EXTENSION_FACT_TYPE_UNSPECIFIED ||
        !v1::ExtensionFactType_IsValid(fact.type())) {
      return absl::FailedPreconditionError(
          absl::StrCat(where, " has no type (bool, number or string)"));
    }
    auto [it, added] = facts->try_emplace(fact.name());
    DeclaredExtensionFact& declared = it->second;
    if (added) {
      declared.type = fact.type();
    } else if (declared.plugins.back() == plugin.name()) {
      return absl::FailedPreconditionError(absl::StrCat(where, " is declared twice"));
    } else if (declared.type != fact.type()) {
      return absl::FailedPreconditionError(absl::StrCat(
          where, " is declared a ", ExtensionFactTypeName(fact.type()), ", but plugin ",
          absl::StrJoin(declared.plugins, ", "), " declares it a ",
          ExtensionFactTypeName(declared.type)));
    }
    declared.plugins.push_back(plugin.name());
  }
  return absl::OkStatus();
}

std::vector<v1::PluginOverlap> FindOverlaps(
    const std::map<v1::Department, std::vector<const Plugin*>>& routers,
    const std::map<v1::TaskKind, std::vector<const Plugin*>>& validators) {
  std::vector<v1::PluginOverlap> overlaps;
  for (const auto& [kind, plugins] : validators) {
    if (plugins.size() < 2) continue;
    v1::PluginOverlap& overlap = overlaps.emplace_back();
    overlap.set_validates(kind);
    for (std::string& name : NamesOf(plugins)) overlap.add_plugins(std::move(name));
    overlap.set_summary(absl::StrCat("task kind ", v1::TaskKind_Name(kind),
                                     " is validated by ", plugins.size(), " plugins (",
                                     absl::StrJoin(overlap.plugins(), ", "),
                                     "): each can refuse every such task that names no "
                                     "record_type"));
  }
  for (const auto& [department, plugins] : routers) {
    if (plugins.size() < 2) continue;
    v1::PluginOverlap& overlap = overlaps.emplace_back();
    overlap.set_routes_for(department);
    for (std::string& name : NamesOf(plugins)) overlap.add_plugins(std::move(name));
    overlap.set_summary(absl::StrCat("department ", v1::Department_Name(department),
                                     " is routed for by ", plugins.size(), " plugins (",
                                     absl::StrJoin(overlap.plugins(), ", "),
                                     "): their proposals for every call are merged"));
  }
  return overlaps;
}

}  // namespace escalation::host
