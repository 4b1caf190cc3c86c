// A plugin seen through the metrics: every call's latency, and its failure
// when it fails (a refused request, INVALID_ARGUMENT, is the caller's fault
// and not counted as the plugin's error). Calls pass through unchanged.
#ifndef ESCALATION_SERVER_OBSERVABILITY_MEASURED_PLUGIN_H_
#define ESCALATION_SERVER_OBSERVABILITY_MEASURED_PLUGIN_H_

#include <memory>
#include <string>

#include "server/observability/metrics.h"
#include "server/plugin/plugin.h"

namespace escalation::observability {

class MeasuredPlugin final : public host::Plugin {
 public:
  // `metrics` must outlive this plugin.
  MeasuredPlugin(std::unique_ptr<host::Plugin> inner, ServerMetrics* metrics);

  void Call(host::PluginMethod method, absl::string_view request, absl::Time deadline,
            host::PluginReply reply) const override;

 private:
  std::unique_ptr<host::Plugin> inner_;
  ServerMetrics* metrics_;
};

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_MEASURED_PLUGIN_H_
