#include "server/registry/plugin_registry.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "server/wire/short_prefix.h"
#include "google/protobuf/util/json_util.h"
#include "server/loading/plugin_file_trust.h"
#include "server/registry/plugin_ground.h"
#include "server/runtime/isolated_plugin.h"
#include "server/runtime/pooled_plugin.h"

namespace escalation::host {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<google::protobuf::Struct> ReadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin configuration ", path, " cannot be read"));
  }
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::Struct config;
  const auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &config);
  if (!parsed.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin configuration ", path,
                     " is not a JSON object: ", parsed.message().as_string()));
  }
  return config;
}

// The configuration file for plugin `name` at `plugin_path`, or "" for none.
std::string ConfigPathFor(const std::string& name, const std::string& plugin_path,
                          const LoadOptions& options) {
  if (auto it = options.config_paths.find(name); it != options.config_paths.end()) {
    return it->second;
  }
  fs::path beside = fs::path(plugin_path).parent_path() / (name + ".json");
  std::error_code error;
  return fs::exists(beside, error) ? beside.string() : "";
}

// Finds plugin `name`'s configuration and limits, for the file at `path`.
// It is kept for restarting workers, so it holds its own copy of the options.
runtime::ConfigLookup ConfigLookupFor(const std::string& path, const LoadOptions& load_options) {
  auto shared = std::make_shared<const LoadOptions>(load_options);
  return [path, shared](const std::string& name) -> absl::StatusOr<runtime::PluginConfig> {
    const LoadOptions& options = *shared;
    runtime::PluginConfig found;
    found.path = ConfigPathFor(name, path, options);
    if (!found.path.empty()) {
      absl::StatusOr<google::protobuf::Struct> read = ReadConfig(found.path);
      if (!read.ok()) return read.status();
      found.config = *std::move(read);
    }
    auto limits = options.limits_by_plugin.find(name);
    found.limits = limits == options.limits_by_plugin.end() ? options.limits : limits->second;
    return found;
  };
}

// Loads the image's bytes into this process.
absl::StatusOr<std::unique_ptr<Plugin>> LoadHere(const std::shared_ptr<const PluginImage>& image,
                                                 const LoadOptions& options) {
  absl::StatusOr<std::string> name = LoadedPlugin::PeekName(image);
  if (!name.ok()) return name.status();
  absl::StatusOr<runtime::PluginConfig> config = ConfigLookupFor(image->path(), options)(*name);
  if (!config.ok()) return config.status();
  absl::StatusOr<std::unique_ptr<LoadedPlugin>> loaded =
      LoadedPlugin::Load(image, config->config, config->path);
  if (!loaded.ok()) return loaded.status();
  if (options.isolation == Isolation::kInProcess) {
    return std::unique_ptr<Plugin>(
        std::make_unique<runtime::PooledPlugin>(*std::move(loaded), config->limits));
  }
  return std::unique_ptr<Plugin>(*std::move(loaded));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Plugin>> PluginRegistry::LoadPlugin(
    const std::string& path, const LoadOptions& options) {
  absl::StatusOr<std::shared_ptr<const PluginImage>> image = PluginImage::CopyFile(path);
  if (!image.ok()) return image.status();
  return std::move(LoadPlugins({*std::move(image)}, options).front());
}

std::vector<absl::StatusOr<std::unique_ptr<Plugin>>> PluginRegistry::LoadPlugins(
    const std::vector<std::shared_ptr<const PluginImage>>& images, const LoadOptions& options) {
  std::vector<absl::StatusOr<std::unique_ptr<Plugin>>> loaded;
  if (options.isolation != Isolation::kProcess) {
    for (const std::shared_ptr<const PluginImage>& image : images) {
      loaded.push_back(LoadHere(image, options));
      if (!loaded.back().ok()) break;
    }
    return loaded;
  }
  // Each plugin's workers start side by side with the others'.
  std::vector<runtime::IsolatedPlugin::ToStart> plugins;
  for (const std::shared_ptr<const PluginImage>& image : images) {
    runtime::WorkerOptions worker;
    worker.worker_binary = options.worker_binary;
    worker.plugin_path = image->path();
    worker.plugin_image = image;
    worker.startup_timeout = options.limits.startup_timeout;
    plugins.push_back({worker, ConfigLookupFor(image->path(), options), options.limits.workers});
  }
  for (auto& started : runtime::IsolatedPlugin::StartAll(plugins)) {
    if (!started.ok()) {
      loaded.push_back(started.status());
    } else {
      loaded.push_back(std::unique_ptr<Plugin>(*std::move(started)));
    }
  }
  return loaded;
}

absl::StatusOr<std::shared_ptr<const PluginRegistry>> PluginRegistry::Load(
    const LoadOptions& options) {
  TrustOptions trust;
  trust.plugin_dirs = options.plugin_dirs;
  trust.plugin_paths = options.plugin_paths;
  trust.allowlist_path = options.allowlist_path;
  absl::StatusOr<std::vector<TrustedPluginFile>> files = ResolveTrustedPluginFiles(trust);
  if (!files.ok()) return files.status();
  std::vector<std::shared_ptr<const PluginImage>> images;
  for (const TrustedPluginFile& file : *files) images.push_back(file.image);

  std::vector<std::unique_ptr<Plugin>> plugins;
  for (absl::StatusOr<std::unique_ptr<Plugin>>& plugin : LoadPlugins(images, options)) {
    if (!plugin.ok()) return plugin.status();  // The first in path order.
    plugins.push_back(options.wrap ? options.wrap(*std::move(plugin)) : *std::move(plugin));
  }
  for (const auto& [name, config_path] : options.config_paths) {
    const bool loaded = std::any_of(
        plugins.begin(), plugins.end(),
        [&name = name](const auto& p) { return p->name() == name; });
    if (!loaded) {
      return absl::FailedPreconditionError(absl::StrCat(
          "configuration ", config_path, " is for plugin \"", name,
          "\", which is not loaded"));
    }
  }
  std::map<std::string, std::string> sha256_by_path;
  for (const TrustedPluginFile& file : *files) sha256_by_path[file.path] = file.sha256;
  return FromPlugins(std::move(plugins), std::move(sha256_by_path));
}

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
