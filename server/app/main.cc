// escalation-server: loads the department plugins and serves the escalation
// policy API until SIGTERM or SIGINT, then drains calls in flight and exits 0
// (3 when calls were still running at the drain deadline; 4 when its
// listening port stopped accepting connections). SIGHUP is logged and
// ignored. Logs are JSON lines on stderr (logger.h).
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <memory>

#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/app/connection_flags.h"
#include "server/app/escalation_server.h"
#include "server/app/listener_probe.h"
#include "server/app/operations.h"
#include "server/app/plugin_limit_flags.h"
#include "server/app/protobuf_log.h"
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_registry.h"

ABSL_FLAG(std::string, listen, "localhost:50051",
          "Address to listen on, host:port (port 0 picks a free port)");
ABSL_FLAG(std::vector<std::string>, plugin_dir, {},
          "Comma-separated directories; every *.so in them is loaded as a "
          "plugin, with <plugin name>.json beside it as its configuration");
ABSL_FLAG(std::vector<std::string>, plugins, {},
          "Comma-separated plugin files to load");
ABSL_FLAG(std::string, plugin_allowlist, "",
          "A file of \"sha256  filename\" lines (as sha256sum prints them); "
          "when given, any plugin file not on it, or whose digest differs, "
          "stops start-up");
ABSL_FLAG(std::vector<std::string>, plugin_config, {},
          "Comma-separated NAME=PATH pairs: configuration file of plugin NAME");
ABSL_FLAG(int, max_request_bytes, 1 << 20,
          "Largest request accepted; larger ones fail with RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long calls in flight may take to finish");
ABSL_FLAG(std::string, plugin_isolation, "process",
          "Where plugin code runs: process (worker processes of its own, "
          "the default) or in_process (in the server, on the thread that "
          "received the call, for trusted plugins and benchmarks)");
ABSL_FLAG(std::string, plugin_worker, "",
          "The escalation-plugin-host program (default: beside this one)");
ABSL_FLAG(absl::Duration, plugin_timeout, absl::Milliseconds(250),
          "Longest a plugin call may take (the client's deadline may be shorter)");
ABSL_FLAG(int, plugin_workers, 2, "Worker processes per plugin (process isolation)");
ABSL_FLAG(int, plugin_queue_size, 256,
          "Calls that may wait for a plugin's worker processes; more get "
          "RESOURCE_EXHAUSTED (process isolation)");
ABSL_FLAG(int, plugin_max_response_bytes, 4 << 20,
          "Largest plugin answer accepted; a larger one fails the call");
ABSL_FLAG(int, plugin_memory_limit_mb, 512,
          "Memory a plugin worker process may use before it is replaced");
ABSL_FLAG(int, plugin_quarantine_failures, 5,
          "Crashes or hangs within --plugin_quarantine_window that quarantine a plugin");
ABSL_FLAG(absl::Duration, plugin_quarantine_window, absl::Seconds(30),
          "See --plugin_quarantine_failures");
ABSL_FLAG(absl::Duration, plugin_quarantine_duration, absl::Seconds(10),
          "How long a quarantined plugin's calls answer UNAVAILABLE");
ABSL_FLAG(std::vector<std::string>, plugin_limits, {},
          "Comma-separated NAME.KEY=VALUE overrides for one plugin, KEY one of "
          "timeout, workers, queue_size, max_response_bytes, memory_limit_mb, "
          "quarantine_failures, quarantine_window, quarantine_duration");

namespace {

namespace obs = ::escalation::observability;

int Fail(const std::string& message) {
  obs::Logger::Default().Error("startup_failed", message);
  return 1;
}

// The plugin worker program installed beside this one.
std::string WorkerBesideThisProgram() {
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "escalation-plugin-host";
  self[n] = '\0';
  std::string path(self);
  return path.substr(0, path.rfind('/') + 1) + "escalation-plugin-host";
}

// The execution options of every plugin from the flags.
absl::Status SetExecutionOptions(escalation::host::LoadOptions* load) {
  const std::string isolation = absl::GetFlag(FLAGS_plugin_isolation);
  if (isolation == "process") {
    load->isolation = escalation::host::Isolation::kProcess;
  } else if (isolation == "in_process") {
    load->isolation = escalation::host::Isolation::kInProcess;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--plugin_isolation: \"", isolation, "\" is not process or in_process"));
  }
  load->worker_binary = absl::GetFlag(FLAGS_plugin_worker);
  if (load->worker_binary.empty()) load->worker_binary = WorkerBesideThisProgram();
  escalation::runtime::PluginLimits& limits = load->limits;
  limits.timeout = absl::GetFlag(FLAGS_plugin_timeout);
  limits.workers = absl::GetFlag(FLAGS_plugin_workers);
  limits.queue_size = absl::GetFlag(FLAGS_plugin_queue_size);
  limits.max_response_bytes = absl::GetFlag(FLAGS_plugin_max_response_bytes);
  limits.memory_limit_bytes = size_t(absl::GetFlag(FLAGS_plugin_memory_limit_mb)) << 20;
  limits.quarantine_failures = absl::GetFlag(FLAGS_plugin_quarantine_failures);
  limits.quarantine_window = absl::GetFlag(FLAGS_plugin_quarantine_window);
  limits.quarantine_duration = absl::GetFlag(FLAGS_plugin_quarantine_duration);
  if (limits.timeout <= absl::ZeroDuration() || limits.workers <= 0 ||
      limits.queue_size <= 0 || limits.max_response_bytes == 0 ||
      limits.memory_limit_bytes == 0) {
    return absl::InvalidArgumentError(
        "--plugin_timeout, --plugin_workers, --plugin_queue_size, "
        "--plugin_max_response_bytes and --plugin_memory_limit_mb must be positive");
  }
  return escalation::app::ParsePluginLimits(absl::GetFlag(FLAGS_plugin_limits), limits,
                                            &load->limits_by_plugin);
}

// Many client connections each hold a file descriptor: the soft limit goes
// up to the hard one (systemd's default soft limit is 1024).
void RaiseFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max) return;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  obs::Logger::Default().Info(
      "file_limit_raised",
      absl::StrCat("open file limit raised from ", before, " to ", limit.rlim_cur),
      {obs::IntField("from", static_cast<int64_t>(before)),
       obs::IntField("to", static_cast<int64_t>(limit.rlim_cur))});
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves the escalation policy API with the department plugins loaded.\n"
      "  escalation-server --plugin_dir=DIR [--listen=localhost:50051]");
  escalation::app::ConfigureUsage();
  absl::ParseCommandLine(argc, argv);
  if (absl::Status s = escalation::app::ApplyLogLevel(); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  // Debian's Abseil is built with the mutex deadlock detector on; it ran on
  // every lock gRPC takes (about 5% of a call).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  escalation::app::InstallProtobufLogHandler();
  escalation::app::InstallGrpcLogHandler();
  RaiseFileLimit();

  // Block the stop signals in every thread (gRPC's included); one thread
  // waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  escalation::host::LoadOptions load;
  load.plugin_dirs = absl::GetFlag(FLAGS_plugin_dir);
  load.plugin_paths = absl::GetFlag(FLAGS_plugins);
  load.allowlist_path = absl::GetFlag(FLAGS_plugin_allowlist);
  for (const std::string& pair : absl::GetFlag(FLAGS_plugin_config)) {
    std::vector<std::string> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return Fail("--plugin_config: \"" + pair + "\" is not NAME=PATH");
    }
    load.config_paths[parts[0]] = parts[1];
  }
  if (absl::Status s = SetExecutionOptions(&load); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  auto operations = escalation::app::StartOperations();
  if (!operations.ok()) return Fail(std::string(operations.status().message()));
  operations->MeasurePlugins(&load);
  if (load.plugin_dirs.empty() && load.plugin_paths.empty() &&
      !escalation::app::AllowNoPlugins()) {
    return Fail("no plugins given: use --plugin_dir or --plugins");
  }

  auto registry = escalation::host::LoadPluginRegistry(load);
  if (!registry.ok()) return Fail(std::string(registry.status().message()));
  escalation::app::LogPluginsLoaded(**registry);
  if ((*registry)->plugins().empty() && !escalation::app::AllowNoPlugins()) {
    return Fail("no plugin loaded from --plugin_dir " +
                absl::StrJoin(load.plugin_dirs, ",") +
                "; pass --allow_no_plugins to serve without any");
  }
  operations->PluginsLoaded(**registry);
  auto engine = std::make_shared<const escalation::host::PolicyEngine>(*registry);

  escalation::app::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  options.tls = operations->tls;
  options.observer = operations->observer.get();
  if (absl::Status s = escalation::app::SetConnectionOptions(&options); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  auto server = escalation::app::EscalationServer::Start(engine, options);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  obs::Logger::Default().Info(
      "listening",
      absl::StrCat("listening on ", options.listen_address, " (port ", (*server)->port(), ")"),
      {obs::StrField("address", options.listen_address),
       obs::IntField("port", (*server)->port()), obs::BoolField("tls", options.tls.enabled()),
       obs::BoolField("mutual_tls", !options.tls.client_ca.empty())});
  escalation::app::NotifySystemd("READY=1");

  // A listener that no longer accepts (gRPC stops accepting for good after
  // running out of file descriptors) ends serving: NOT_SERVING, a drain of
  // the calls on open connections, exit 4, and the supervisor restarts us.
  std::atomic<bool> listener_deaf{false};
  std::unique_ptr<escalation::app::ListenerWatchdog> watchdog;
  if (const absl::Duration every = escalation::app::ListenerProbeInterval();
      every > absl::ZeroDuration() && (*server)->host().has_value()) {
    watchdog = std::make_unique<escalation::app::ListenerWatchdog>(
        *(*server)->host(), (*server)->port(), every, 3, [&](const std::string& why) {
          (*server)->SetNotServing();
          obs::Logger::Default().Error("listener_deaf",
                                       why + "; stopping so the supervisor restarts the server",
                                       {obs::IntField("port", (*server)->port())});
          listener_deaf = true;
          kill(getpid(), SIGTERM);
        });
  }

  escalation::app::DrainResult drained;
  std::thread stopper([&] {
    int signal = 0;
    while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
      obs::Logger::Default().Warning("sighup_ignored",
                                     "SIGHUP ignored: plugins are not reloaded");
    }
    watchdog.reset();
    const char* name = signal == SIGTERM ? "SIGTERM" : "SIGINT";
    obs::Logger::Default().Info("draining", absl::StrCat(name, ", draining calls in flight"),
                                {obs::StrField("signal", name)});
    escalation::app::NotifySystemd("STOPPING=1");
    const absl::Duration lame_duck = escalation::app::DrainLameDuck();
    drained = (*server)->Shutdown(absl::Now() + lame_duck + absl::GetFlag(FLAGS_drain_timeout),
                                  lame_duck);
  });
  (*server)->Wait();
  stopper.join();
  // After the drain: every decision accepted so far reaches the decision log.
  operations->Stop();
  const std::string during = absl::StrCat(
      " (during the drain ", drained.answered, " calls answered, ", drained.refused,
      " refused UNAVAILABLE before any plugin saw them)");
  auto log_stopped = [&](obs::LogLevel level, const std::string& message) {
    obs::Logger::Default().Log(level, "stopped", message + during,
                               {obs::IntField("answered", drained.answered),
                                obs::IntField("refused", drained.refused),
                                obs::IntField("cancelled", drained.cancelled)});
  };
  if (drained.cancelled > 0) {
    log_stopped(obs::LogLevel::kError,
                absl::StrCat("stopped; ", drained.cancelled,
                             " calls were still running at the drain deadline and were cancelled"));
    return 3;
  }
  if (listener_deaf) {
    log_stopped(obs::LogLevel::kError,
                "stopped because the listening port stopped accepting connections");
    return 4;
  }
  log_stopped(obs::LogLevel::kInfo, "stopped; every accepted call was answered");
  return 0;
}
