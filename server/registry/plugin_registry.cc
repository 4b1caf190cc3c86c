#include "server/registry/plugin_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/wire/short_prefix.h"
#include "server/registry/plugin_ground.h"

namespace escalation::host {
absl::Status PluginRegistry::AddRecordTypes(const Plugin& plugin) {
  const v1::PluginManifest& m = plugin.info().manifest();
  for (const v1::RecordTypeInfo& type : m.record_types()) {
    const std::string where = absl::StrCat("plugin ", plugin.path(), ": record type \"",
                                           type.id(), "\"");
    if (type.id().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("plugin ", plugin.path(), ": declares a record type with no id"));
    }
    if (std::find(m.validates().begin(), m.validates().end(), type.kind()) ==
        m.validates().end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          where, " is of kind ", v1::TaskKind_Name(type.kind()),
          ", which the plugin does not validate"));
    }
    if (auto [it, added] = record_types_.emplace(type.id(), DeclaredRecordType{&type, {&plugin}});
        !added) {
      return absl::FailedPreconditionError(
          absl::StrCat(where, " is already declared by another plugin"));
    }
  }
  return absl::OkStatus();
}

const v1::RecordTypeInfo* PluginRegistry::RecordType(const std::string& id) const {
  auto it = record_types_.find(id);
  return it == record_types_.end() ? nullptr : it->second.type;
}

absl::Status PluginRegistry::CheckRecordTypeOf(const v1::Task& task) const {
  if (task.record_type().empty()) return absl::OkStatus();
  const v1::RecordTypeInfo* type = RecordType(task.record_type());
  if (type == nullptr) {
    const std::string quoted = ShortPrefix(task.record_type());
    std::string known;
    for (const auto& [id, unused] : record_types_) {
      absl::StrAppend(&known, known.empty() ? "" : ", ", id);
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "task.record_type: no loaded plugin declares the record type \"", quoted,
        "\" (declared: ", known.empty() ? "none" : known, ")"));
  }
  if (type->kind() != task.kind()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "task.record_type: \"", type->id(), "\" is declared for ",
        v1::TaskKind_Name(type->kind()), ", not for task.kind ",
        v1::TaskKind_Name(task.kind())));
  }
  return absl::OkStatus();
}

std::string PluginRegistry::Sha256Of(const Plugin& plugin) const {
  auto it = sha256_by_path_.find(plugin.path());
  return it == sha256_by_path_.end() ? "" : it->second;
}

absl::StatusOr<std::shared_ptr<const PluginRegistry>> PluginRegistry::FromPlugins(
    std::vector<std::unique_ptr<Plugin>> plugins,
    std::map<std::string, std::string> sha256_by_path) {
  std::shared_ptr<PluginRegistry> registry(new PluginRegistry());
  registry->sha256_by_path_ = std::move(sha256_by_path);
  std::map<std::string, const Plugin*> by_name;
  std::map<std::string, const Plugin*> rule_owner;
  for (const std::unique_ptr<Plugin>& plugin : plugins) {
    const Plugin* p = plugin.get();
    if (auto [it, added] = by_name.emplace(p->name(), p); !added) {
      return absl::FailedPreconditionError(absl::StrCat(
          "plugin ", p->path(), ": name \"", p->name(),
          "\" is already taken by ", it->second->path()));
    }
    for (const v1::RuleInfo& rule : p->info().manifest().rules()) {
      if (rule.id().empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("plugin ", p->path(), ": declares a rule with no id"));
      }
      if (auto [it, added] = rule_owner.emplace(rule.id(), p); !added) {
        return absl::FailedPreconditionError(absl::StrCat(
            "plugin ", p->path(), ": rule id \"", rule.id(),
            "\" is already declared by plugin ", it->second->name()));
      }
    }
    const v1::PluginManifest& m = p->info().manifest();
    for (int department : m.routes_for()) {
      registry->routers_[static_cast<v1::Department>(department)].push_back(p);
    }
    for (int destination : m.admits_for()) {
      const auto d = static_cast<v1::Decision::Destination>(destination);
      if (auto [it, added] = registry->admitters_.emplace(d, p); !added) {
        return absl::FailedPreconditionError(absl::StrCat(
            "plugin ", p->path(), ": admits for ",
            v1::Decision::Destination_Name(d), ", as plugin ",
            it->second->name(), " already does"));
      }
    }
    for (int kind : m.validates()) {
      registry->validators_[static_cast<v1::TaskKind>(kind)].push_back(p);
    }
    if (absl::Status s = registry->AddRecordTypes(*p); !s.ok()) return s;
    if (absl::Status s = AddExtensionFacts(*p, &registry->extension_facts_); !s.ok()) return s;
  }
  registry->overlaps_ = FindOverlaps(registry->routers_, registry->validators_);
  registry->plugins_ = std::move(plugins);
  return std::shared_ptr<const PluginRegistry>(std::move(registry));
}

namespace {
const std::vector<const Plugin*>& NoPlugins() {
  static const auto* none = new std::vector<const Plugin*>();
  return *none;
}
}  // namespace

const std::vector<const Plugin*>& PluginRegistry::RoutersFor(
    v1::Department department) const {
  auto it = routers_.find(department);
  return it == routers_.end() ? NoPlugins() : it->second;
}

const Plugin* PluginRegistry::AdmitterFor(
    v1::Decision::Destination destination) const {
  auto it = admitters_.find(destination);
  return it == admitters_.end() ? nullptr : it->second;
}

const std::vector<const Plugin*>& PluginRegistry::ValidatorsFor(
    v1::TaskKind kind) const {
  auto it = validators_.find(kind);
  return it == validators_.end() ? NoPlugins() : it->second;
}

const std::vector<const Plugin*>& PluginRegistry::ValidatorsFor(const v1::Task& task) const {
  if (!task.record_type().empty()) {
    if (auto it = record_types_.find(task.record_type()); it != record_types_.end()) {
      return it->second.declarer;
    }
  }
  return ValidatorsFor(task.kind());
}

}  // namespace escalation::host
