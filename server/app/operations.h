// What the server runs beside the policy API for its operators: the flags
// and set-up of the structured log, the decision log, the Prometheus
// endpoint and TLS, the --help and --version texts, and systemd readiness.
// main() calls these in order:
//   ConfigureUsage();  absl::ParseCommandLine(...);  ApplyLogLevel();
//   StartOperations() -> ops;  ops.MeasurePlugins(&load_options);
//   load the registry;  LogPluginsLoaded(registry);  ops.PluginsLoaded(registry);
//   ... serve with ops.observer and ops.tls ...;  NotifySystemd("READY=1");
//   on SIGTERM: NotifySystemd("STOPPING=1"), drain;  ops.Stop();
#ifndef ESCALATION_SERVER_APP_OPERATIONS_H_
#define ESCALATION_SERVER_APP_OPERATIONS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/app/tls.h"
#include "server/loader/plugin_loader.h"
#include "server/observability/call_observer.h"
#include "server/observability/decision_log.h"
#include "server/logging/logger.h"
#include "server/observability/metrics.h"
#include "server/registry/plugin_registry.h"

namespace escalation::app {

// The project version, the plugin ABI version, gRPC's and protobuf's.
std::string VersionText();

// --help lists the server's own flags (those defined under server/), and
// --version prints VersionText(). Call before absl::ParseCommandLine.
void ConfigureUsage();

// Sets the default logger's level from --log_level.
absl::Status ApplyLogLevel();

// True when --allow_no_plugins permits serving with no plugin loaded.
bool AllowNoPlugins();

// --drain_lame_duck: NOT_SERVING before the drain starts.
absl::Duration DrainLameDuck();

// One "plugin_loaded" line per plugin: path, name, version, rules, SHA-256.
void LogPluginsLoaded(const host::PluginRegistry& registry);

struct Operations {
  std::unique_ptr<observability::DecisionLog> decision_log;
  std::unique_ptr<observability::ServerMetrics> metrics;
  std::unique_ptr<observability::CallObserver> observer;
  TlsFiles tls;

  // With metrics on, has the registry wrap each plugin to measure its calls.
  void MeasurePlugins(host::LoadOptions* load) const;
  // Names the loaded plugins in escalation_plugin_info.
  void PluginsLoaded(const host::PluginRegistry& registry) const;
  // Writes every decision-log line accepted and closes the file; then stops
  // serving /metrics.
  void Stop();
};

// Opens the decision log and serves /metrics as the flags say. Errors name
// the flag at fault.
absl::StatusOr<Operations> StartOperations();

// Tells systemd (Type=notify) "READY=1" or "STOPPING=1"; nothing when the
// server was not started by systemd.
void NotifySystemd(const char* state);

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_OPERATIONS_H_
