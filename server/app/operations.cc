#include "server/app/operations.h"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/plugin_abi.h"
#include "google/protobuf/stubs/common.h"
#include "grpcpp/grpcpp.h"
#include "server/loader/plugin_loader.h"
#include "server/observability/measured_plugin.h"

ABSL_FLAG(std::string, log_level, "info",
          "Least severe log line written: debug, info, warning or error");
ABSL_FLAG(std::string, decision_log, "",
          "Write one JSON line per Route/ValidateTask decision to this file ('-' for "
          "stdout; docs/decision-log.md). Off when empty");
ABSL_FLAG(std::vector<std::string>, decision_log_mask,
          escalation::observability::FieldMasks::DefaultPaths(),
          "Comma-separated request field paths the decision log masks, e.g. "
          "call.customer_name,task.text");
ABSL_FLAG(std::string, decision_log_mask_mode, "remove",
          "How masked fields are written: remove (left out) or hash (sha256:<hex>)");
ABSL_FLAG(int, decision_log_queue, 8192,
          "Decision-log records that may wait to be written");
ABSL_FLAG(std::string, decision_log_overflow, "drop",
          "When a decision's line cannot be stored at once (queue full, disk full): drop "
          "(answer anyway; every loss is counted in escalation_decision_log_lost_total) or "
          "block (answer only once the line is written, else UNAVAILABLE before the deadline)");
ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics on http://IP:PORT/metrics. Off when empty");
ABSL_FLAG(std::string, tls_cert, "", "Server certificate chain (PEM); turns TLS on");
ABSL_FLAG(std::string, tls_key, "", "The server certificate's private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "CA (PEM) that must have signed every client's certificate (mutual TLS)");
ABSL_FLAG(absl::Duration, drain_lame_duck, absl::ZeroDuration(),
          "On SIGTERM, how long health says NOT_SERVING while calls are still "
          "answered, before the drain (give load balancers time to move away)");
ABSL_FLAG(bool, allow_no_plugins, false,
          "Start even when no plugin is loaded (every Route then fails)");

namespace escalation::app {
namespace {

namespace obs = ::escalation::observability;

std::string ProtobufVersion() {
  const int v = GOOGLE_PROTOBUF_VERSION;
  return absl::StrCat(v / 1000000, ".", v / 1000 % 1000, ".", v % 1000);
}

std::string AbiVersion() {
  return absl::StrCat(ESCALATION_ABI_MAJOR, ".", ESCALATION_ABI_MINOR);
}

absl::Status FlagError(absl::string_view flag, const absl::Status& status) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", status.message()));
}

}  // namespace

std::string VersionText() {
  return absl::StrCat("escalation-server ", ESCALATION_VERSION, "\nplugin ABI ", AbiVersion(),
                      "\ngRPC ", grpc::Version(), "\nprotobuf ", ProtobufVersion(), "\n");
}

void ConfigureUsage() {
  absl::FlagsUsageConfig config;
  // Abseil lists only flags defined in <program>.cc by default, and the
  // server's flags live in server/app/*.cc.
  config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "server/");
  };
  config.contains_helpshort_flags = config.contains_help_flags;
  config.version_string = [] { return VersionText(); };
  config.normalize_filename = [](absl::string_view file) {
    const size_t at = file.rfind("server/");
    return std::string(at == absl::string_view::npos ? file : file.substr(at));
  };
  absl::SetFlagsUsageConfig(config);
}

absl::Status ApplyLogLevel() {
  auto level = obs::ParseLogLevel(absl::GetFlag(FLAGS_log_level));
  if (!level.ok()) return FlagError("log_level", level.status());
  obs::Logger::Default().set_min_level(*level);
  return absl::OkStatus();
}

bool AllowNoPlugins() { return absl::GetFlag(FLAGS_allow_no_plugins); }

absl::Duration DrainLameDuck() { return absl::GetFlag(FLAGS_drain_lame_duck); }

void LogPluginsLoaded(const host::PluginRegistry& registry) {
  for (const auto& plugin : registry.plugins()) {
    obs::Logger::Default().Info(
        "plugin_loaded",
        absl::StrCat("loaded plugin ", plugin->name(), " ", plugin->version(), " (",
                     plugin->info().manifest().rules_size(), " rules) from ", plugin->path()),
        {obs::StrField("plugin", plugin->name()), obs::StrField("version", plugin->version()),
         obs::StrField("path", plugin->path()),
         obs::IntField("rules", plugin->info().manifest().rules_size()),
         // The trust check's digest: a plugin file is read and hashed once.
         obs::StrField("sha256", registry.Sha256Of(*plugin))});
  }
  for (const v1::PluginOverlap& overlap : registry.overlaps()) {
    obs::Logger::Default().Warning(
        "plugin_overlap", overlap.summary(),
        {obs::StrField("plugins", absl::StrJoin(overlap.plugins(), ","))});
  }
}

absl::StatusOr<Operations> StartOperations() {
  Operations ops;
  ops.tls = TlsFiles{absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key),
                     absl::GetFlag(FLAGS_tls_client_ca)};
  if (const std::string path = absl::GetFlag(FLAGS_decision_log); !path.empty()) {
    obs::DecisionLogOptions options;
    options.path = path;
    auto mode = obs::ParseMaskMode(absl::GetFlag(FLAGS_decision_log_mask_mode));
    if (!mode.ok()) return FlagError("decision_log_mask_mode", mode.status());
    auto masks = obs::FieldMasks::Create(absl::GetFlag(FLAGS_decision_log_mask), *mode);
    if (!masks.ok()) return FlagError("decision_log_mask", masks.status());
    options.masks = *std::move(masks);
    auto overflow = obs::ParseOverflowPolicy(absl::GetFlag(FLAGS_decision_log_overflow));
    if (!overflow.ok()) return FlagError("decision_log_overflow", overflow.status());
    options.overflow = *overflow;
    if (absl::GetFlag(FLAGS_decision_log_queue) < 1) {
      return absl::InvalidArgumentError("--decision_log_queue: must be at least 1");
    }
    options.queue_capacity = static_cast<size_t>(absl::GetFlag(FLAGS_decision_log_queue));
    auto log = obs::DecisionLog::Open(std::move(options));
    if (!log.ok()) return FlagError("decision_log", log.status());
    ops.decision_log = *std::move(log);
  }
  if (const std::string address = absl::GetFlag(FLAGS_metrics_listen); !address.empty()) {
    obs::BuildInfo build{ESCALATION_VERSION, AbiVersion(), grpc::Version(), ProtobufVersion(),
                         {}};
    ops.metrics = std::make_unique<obs::ServerMetrics>(build);
    if (absl::Status served = ops.metrics->Serve(address); !served.ok()) {
      return FlagError("metrics_listen", served);
    }
    ops.metrics->WatchDecisionLog(ops.decision_log.get());
    obs::Logger::Default().Info(
        "metrics_listening",
        absl::StrCat("metrics on http://", address, "/metrics (port ", ops.metrics->port(), ")"),
        {obs::StrField("address", address), obs::IntField("port", ops.metrics->port())});
  }
  ops.observer = std::make_unique<obs::CallObserver>(&obs::Logger::Default(), ops.metrics.get(),
                                                     ops.decision_log.get());
  return ops;
}

void Operations::MeasurePlugins(host::LoadOptions* load) const {
  if (metrics == nullptr) return;
  load->wrap = [metrics = metrics.get()](std::unique_ptr<host::Plugin> plugin) {
    return std::unique_ptr<host::Plugin>(
        std::make_unique<obs::MeasuredPlugin>(std::move(plugin), metrics));
  };
}

void Operations::PluginsLoaded(const host::PluginRegistry& registry) const {
  if (metrics == nullptr) return;
  for (const auto& plugin : registry.plugins()) {
    metrics->AddPlugin(plugin->name(), plugin->version());
  }
}

void Operations::Stop() {
  if (decision_log != nullptr) {
    decision_log->Close();
    const uint64_t lost = decision_log->dropped();
    obs::Logger::Default().Log(
        lost == 0 ? obs::LogLevel::kInfo : obs::LogLevel::kWarning, "decision_log_closed",
        lost == 0 ? std::string("decision log flushed and closed")
                  : absl::StrCat("decision log closed; ", lost,
                                 " lines were not stored (escalation_decision_log_lost_total)"),
        {obs::IntField("written", static_cast<int64_t>(decision_log->written())),
         obs::IntField("dropped", static_cast<int64_t>(lost)),
         obs::IntField("write_errors", static_cast<int64_t>(decision_log->write_errors()))});
  }
}

void NotifySystemd(const char* state) { sd_notify(0, state); }

}  // namespace escalation::app
