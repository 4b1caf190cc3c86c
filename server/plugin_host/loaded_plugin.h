// One plugin shared object, opened, checked against the ABI and configured.
// Its calls exchange full-runtime messages with the host and wire bytes with
// the plugin; any plugin failure comes back as INTERNAL naming the plugin.
#ifndef ESCALATION_SERVER_PLUGIN_HOST_LOADED_PLUGIN_H_
#define ESCALATION_SERVER_PLUGIN_HOST_LOADED_PLUGIN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "escalation/plugin_abi.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/struct.pb.h"

namespace escalation::host {

namespace v1 = ::escalation::v1;

class LoadedPlugin {
 public:
  // Opens `path` (RTLD_NOW | RTLD_LOCAL) and checks, in order: the file opens
  // as a shared object, the entry symbol exists, the descriptor's size, magic
  // and ABI version are acceptable. Then creates an instance with `config`
  // and reads its manifest. Every error names `path` and the reason.
  // The shared object is never closed once loaded (DESIGN §3).
  static absl::StatusOr<std::unique_ptr<LoadedPlugin>> Load(
      const std::string& path, const google::protobuf::Struct& config,
      const std::string& config_path);

  // Reads the plugin's name from its descriptor without creating an instance,
  // so the host can find its configuration first.
  static absl::StatusOr<std::string> PeekName(const std::string& path);

  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const std::string& name() const { return info_.manifest().name(); }
  const std::string& version() const { return info_.manifest().version(); }
  const std::string& path() const { return info_.path(); }
  const v1::PluginInfo& info() const { return info_; }

  absl::StatusOr<v1::PluginRouteResponse> Route(
      const v1::PluginRouteRequest& request) const;
  absl::StatusOr<v1::PluginAdmitResponse> Admit(
      const v1::PluginAdmitRequest& request) const;
  absl::StatusOr<v1::PluginValidateResponse> Validate(
      const v1::PluginValidateRequest& request) const;

 private:
  LoadedPlugin() = default;

  const EscPluginDescriptor* descriptor_ = nullptr;
  EscPluginInstance* instance_ = nullptr;
  v1::PluginInfo info_;
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_PLUGIN_HOST_LOADED_PLUGIN_H_
