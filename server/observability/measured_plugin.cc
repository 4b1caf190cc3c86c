#include "server/observability/measured_plugin.h"

#include "absl/time/clock.h"

namespace escalation::observability {

MeasuredPlugin::MeasuredPlugin(std::unique_ptr<host::Plugin> inner, ServerMetrics* metrics)
    : inner_(std::move(inner)), metrics_(metrics) {
  info_ = inner_->info();
  fixed_texts_ = inner_->shared_fixed_texts();
}

void MeasuredPlugin::Call(host::PluginMethod method, absl::string_view request, absl::Time deadline,
                          host::PluginReply reply) const {
  const absl::Time start = absl::Now();
  inner_->Call(method, request, deadline,
               [this, method, start, reply = std::move(reply)](
                   absl::StatusOr<absl::string_view> answer) mutable {
                 const bool failed =
                     !answer.ok() && answer.status().code() != absl::StatusCode::kInvalidArgument;
                 metrics_->ObservePluginCall(name(), host::MethodName(method),
                                             absl::Now() - start, !failed);
                 std::move(reply)(answer);
               });
}

}  // namespace escalation::observability
