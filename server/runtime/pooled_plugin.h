// A plugin loaded into this process whose calls run on a bounded pool of
// threads of its own (--plugin_isolation=in_process): no plugin code on a
// gRPC thread, a deadline and a bounded queue per call. A crash still takes
// the process down; that is what process isolation is for.
#ifndef ESCALATION_SERVER_RUNTIME_POOLED_PLUGIN_H_
#define ESCALATION_SERVER_RUNTIME_POOLED_PLUGIN_H_

#include <memory>

#include "server/loading/loaded_plugin.h"
#include "server/runtime/call_executor.h"

namespace escalation::runtime {

class PooledPlugin final : public host::Plugin {
 public:
  PooledPlugin(std::unique_ptr<host::LoadedPlugin> plugin,
               const PluginLimits& limits);

  void Call(PluginMethod method, std::string request, absl::Time deadline,
            PluginReply reply) const override;

 private:
  // Shared with the lanes, which may outlive this object (a stuck thread).
  std::shared_ptr<const host::LoadedPlugin> plugin_;
  std::unique_ptr<CallExecutor> executor_;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_POOLED_PLUGIN_H_
