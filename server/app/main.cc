// escalation-server: loads the department plugins and serves the escalation
// policy API until SIGTERM or SIGINT, then drains calls in flight and exits 0.
#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/app/escalation_server.h"
#include "server/plugin_host/plugin_registry.h"

ABSL_FLAG(std::string, listen, "localhost:50051",
          "Address to listen on, host:port (port 0 picks a free port)");
ABSL_FLAG(std::vector<std::string>, plugin_dir, {},
          "Comma-separated directories; every *.so in them is loaded as a "
          "plugin, with <plugin name>.json beside it as its configuration");
ABSL_FLAG(std::vector<std::string>, plugins, {},
          "Comma-separated plugin files to load");
ABSL_FLAG(std::vector<std::string>, plugin_config, {},
          "Comma-separated NAME=PATH pairs: configuration file of plugin NAME");
ABSL_FLAG(int, max_request_bytes, 1 << 20,
          "Largest request accepted; larger ones fail with RESOURCE_EXHAUSTED");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(10),
          "On SIGTERM/SIGINT, how long calls in flight may take to finish");

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "escalation-server: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves the escalation policy API with the department plugins loaded.\n"
      "  escalation-server --plugin_dir=DIR [--listen=localhost:50051]");
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with the mutex deadlock detector on; it ran on
  // every lock gRPC takes (about 5% of a call).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the stop signals in every thread (gRPC's included); one thread
  // waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  escalation::host::LoadOptions load;
  load.plugin_dirs = absl::GetFlag(FLAGS_plugin_dir);
  load.plugin_paths = absl::GetFlag(FLAGS_plugins);
  for (const std::string& pair : absl::GetFlag(FLAGS_plugin_config)) {
    std::vector<std::string> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return Fail("--plugin_config: \"" + pair + "\" is not NAME=PATH");
    }
    load.config_paths[parts[0]] = parts[1];
  }
  if (load.plugin_dirs.empty() && load.plugin_paths.empty()) {
    return Fail("no plugins given: use --plugin_dir or --plugins");
  }

  auto registry = escalation::host::PluginRegistry::Load(load);
  if (!registry.ok()) return Fail(std::string(registry.status().message()));
  for (const auto& plugin : (*registry)->plugins()) {
    std::fprintf(stderr, "escalation-server: loaded plugin %s %s (%d rules) from %s\n",
                 plugin->name().c_str(), plugin->version().c_str(),
                 plugin->info().manifest().rules_size(), plugin->path().c_str());
  }
  auto engine = std::make_shared<const escalation::host::PolicyEngine>(*registry);

  escalation::app::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  auto server = escalation::app::EscalationServer::Start(engine, options);
  if (!server.ok()) return Fail(std::string(server.status().message()));
  std::fprintf(stderr, "escalation-server: listening on %s (port %d)\n",
               options.listen_address.c_str(), (*server)->port());

  std::thread stopper([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::fprintf(stderr, "escalation-server: %s, draining calls in flight\n",
                 signal == SIGTERM ? "SIGTERM" : "SIGINT");
    (*server)->Shutdown(absl::Now() + absl::GetFlag(FLAGS_drain_timeout));
  });
  (*server)->Wait();
  stopper.join();
  std::fprintf(stderr, "escalation-server: stopped\n");
  return 0;
}
