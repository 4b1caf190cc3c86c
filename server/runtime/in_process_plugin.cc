#include "server/runtime/in_process_plugin.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/runtime/pending_call.h"

namespace escalation::runtime {

InProcessPlugin::InProcessPlugin(std::unique_ptr<host::LoadedPlugin> plugin,
                                 const PluginLimits& limits)
    : plugin_(std::move(plugin)),
      timeout_(limits.timeout),
      max_response_bytes_(limits.max_response_bytes),
      health_(plugin_->name(), limits) {
  info_ = plugin_->info();
  fixed_texts_ = plugin_->shared_fixed_texts();
}

void InProcessPlugin::Call(host::PluginMethod method, absl::string_view request, absl::Time deadline,
                           host::PluginReply reply) const {
  const absl::Time start = absl::Now();
  absl::Time until;
  if (health_.quarantine.Refuses(start, &until)) {
    return std::move(reply)(absl::UnavailableError(QuarantinedMessage(name(), until)));
  }
  const bool by_plugin_timeout = start + timeout_ < deadline;
  const absl::Time due = by_plugin_timeout ? start + timeout_ : deadline;
  // A call whose time ran out before it began (its deadline passed while
  // earlier plugin calls of its decision ran) is not begun.
  if (start >= due) {
    return std::move(reply)(absl::DeadlineExceededError(
        DidNotAnswer(name(), method, timeout_, by_plugin_timeout)));
  }
  const host::RawAnswer answer = plugin_->CallRaw(method, request, max_response_bytes_);
  if (absl::Now() > due) {
    health_.counters.overran.fetch_add(1, std::memory_order_relaxed);
    health_.RecordFailure(absl::Now());
    return std::move(reply)(absl::DeadlineExceededError(
        DidNotAnswer(name(), method, timeout_, by_plugin_timeout)));
  }
  health_.quarantine.RecordSuccess();
  std::move(reply)(host::JudgeAnswer(name(), method, answer, max_response_bytes_));
}

}  // namespace escalation::runtime
