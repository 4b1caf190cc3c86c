// A plugin served by worker processes of its own (the default isolation):
// the server never loads its code. A worker that crashes, runs one call for
// longer than that call's time (it is killed; time the call waited in a queue
// does not count) or goes over its memory limit fails only the call it held;
// it is logged, restarted with backoff (taking no calls meanwhile), and the
// plugin is quarantined after repeated failures. A worker that died while
// idle is replaced before a call reaches it (docs/architecture.md, Fault
// containment).
#ifndef ESCALATION_SERVER_RUNTIME_ISOLATED_PLUGIN_H_
#define ESCALATION_SERVER_RUNTIME_ISOLATED_PLUGIN_H_

#include <memory>
#include <vector>

#include "server/runtime/call_executor.h"
#include "server/runtime/worker_process.h"

namespace escalation::runtime {

class IsolatedPlugin final : public host::Plugin {
 public:
  // Starts the plugin's workers; fails, naming the file and the reason, for
  // every check the in-process loader makes (the workers make them).
  static absl::StatusOr<std::unique_ptr<IsolatedPlugin>> Start(
      const WorkerOptions& options, ConfigLookup config_for);
  // Starts several plugins side by side: one answer each, in order. Every
  // worker is spawned from the calling thread, which must outlive them; a
  // worker's start-up (exec, linking, loading its plugin) overlaps the others'.
  struct ToStart {
    WorkerOptions options;
    ConfigLookup config_for;
    // Workers started before the plugin's name, and so its own worker count,
    // is known (the default count): when that is right, all start at once.
    int expected_workers = 1;
  };
  static std::vector<absl::StatusOr<std::unique_ptr<IsolatedPlugin>>> StartAll(
      const std::vector<ToStart>& plugins);

  void Call(PluginMethod method, absl::string_view request, absl::Time deadline,
            PluginReply reply) const override;

 private:
  IsolatedPlugin() = default;
  std::unique_ptr<CallExecutor> executor_;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_ISOLATED_PLUGIN_H_
