#include "server/runtime/pooled_plugin.h"

#include <vector>

namespace escalation::runtime {
namespace {

class InProcessLane final : public Lane {
 public:
  InProcessLane(std::shared_ptr<const host::LoadedPlugin> plugin,
                size_t max_response_bytes)
      : plugin_(std::move(plugin)), max_response_bytes_(max_response_bytes) {}

  size_t Serve(absl::Span<const std::shared_ptr<PendingCall>> calls,
               PluginHealth& health) override {
    const std::shared_ptr<PendingCall>& call = calls.front();  // One at a time.
    call->Start();
    const absl::Time started = absl::Now();
    host::RawAnswer answer =
        plugin_->CallRaw(call->method(), call->request(), max_response_bytes_);
    health.RecordCallTime(absl::Now() - started);
    const bool in_time = call->Complete(host::JudgeAnswer(
        plugin_->name(), call->method(), std::move(answer), max_response_bytes_));
    // An answer after the deadline is a hang as far as callers can tell.
    if (in_time) {
      health.quarantine.RecordSuccess();
    } else {
      health.RecordFailure(absl::Now());
    }
    return 1;
  }

 private:
  std::shared_ptr<const host::LoadedPlugin> plugin_;
  const size_t max_response_bytes_;
};

}  // namespace

PooledPlugin::PooledPlugin(std::unique_ptr<host::LoadedPlugin> plugin,
                           const PluginLimits& limits)
    : plugin_(std::move(plugin)) {
  info_ = plugin_->info();
  fixed_texts_ = plugin_->shared_fixed_texts();
  std::vector<std::unique_ptr<Lane>> lanes;
  for (int i = 0; i < std::max(1, limits.workers); ++i) {
    lanes.push_back(std::make_unique<InProcessLane>(plugin_, limits.max_response_bytes));
  }
  executor_ = std::make_unique<CallExecutor>(name(), limits, std::move(lanes));
}

void PooledPlugin::Call(PluginMethod method, std::string request,
                        absl::Time deadline, PluginReply reply) const {
  executor_->Submit(method, std::move(request), deadline, std::move(reply));
}

}  // namespace escalation::runtime
