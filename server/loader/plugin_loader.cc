#include "server/loader/plugin_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "server/loading/loaded_plugin.h"
#include "server/loading/plugin_file_trust.h"
#include "server/runtime/isolated_plugin.h"
#include "server/runtime/in_process_plugin.h"

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
        std::make_unique<runtime::InProcessPlugin>(*std::move(loaded), config->limits));
  }
  return std::unique_ptr<Plugin>(*std::move(loaded));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Plugin>> LoadPlugin(
    const std::string& path, const LoadOptions& options) {
  absl::StatusOr<std::shared_ptr<const PluginImage>> image = PluginImage::CopyFile(path);
  if (!image.ok()) return image.status();
  return std::move(LoadPlugins({*std::move(image)}, options).front());
}

std::vector<absl::StatusOr<std::unique_ptr<Plugin>>> LoadPlugins(
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

absl::StatusOr<std::shared_ptr<const PluginRegistry>> LoadPluginRegistry(
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
  return PluginRegistry::FromPlugins(std::move(plugins), std::move(sha256_by_path));
}

}  // namespace escalation::host
