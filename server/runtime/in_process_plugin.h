// A plugin loaded into this process and run on the caller's thread
// (--plugin_isolation=in_process, for trusted plugins): no pool and no
// hand-off, so a call is decided and answered on the gRPC thread that
// received it. A crash or a hang of the plugin is the server's. A call is not
// preempted: one that finishes past its deadline (the caller's, or the
// plugin's timeout) is answered DEADLINE_EXCEEDED, counted as overran and
// towards the quarantine.
#ifndef ESCALATION_SERVER_RUNTIME_IN_PROCESS_PLUGIN_H_
#define ESCALATION_SERVER_RUNTIME_IN_PROCESS_PLUGIN_H_

#include <memory>
#include <string>

#include "server/loading/loaded_plugin.h"
#include "server/runtime/plugin_health.h"
#include "server/runtime/plugin_limits.h"

namespace escalation::runtime {

class InProcessPlugin final : public host::Plugin {
 public:
  InProcessPlugin(std::unique_ptr<host::LoadedPlugin> plugin, const PluginLimits& limits);

  // Runs the call on this thread and replies before returning.
  void Call(host::PluginMethod method, absl::string_view request, absl::Time deadline,
            host::PluginReply reply) const override;

 private:
  std::unique_ptr<const host::LoadedPlugin> plugin_;
  const absl::Duration timeout_;
  const size_t max_response_bytes_;
  mutable PluginHealth health_;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_IN_PROCESS_PLUGIN_H_
