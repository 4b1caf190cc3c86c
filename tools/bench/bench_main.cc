// escalation-bench: the escalation server against a bare gRPC echo server
// that answers the server's own response bytes, side by side on loopback.
// Starts both, drives each in turn with the same request bytes at fixed
// in-flight counts, alternating which goes first over several rounds, and
// prints calls/s, p50/p99 latency, server CPU per call and their ratios.
// docs/PERFORMANCE.md says how to read them; tools/bench/run builds and runs it.
//   escalation-bench --server_binary=... --echo_binary=... --plugin_dir=...
//       [--requests=simple,heaviest] [--in_flight=64] [--rounds=3]
//       [--round_time=2s] [-- extra server flags]
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "tools/bench/load.h"
#include "tools/bench/pairs_file.h"
#include "tools/bench/report.h"
#include "tools/bench/request_set.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(std::string, server_binary, "", "The escalation-server to measure");
ABSL_FLAG(std::string, echo_binary, "", "The escalation-echo-server to compare with");
ABSL_FLAG(std::string, plugin_dir, "", "Plugin directory the server loads");
ABSL_FLAG(std::vector<std::string>, requests,
          std::vector<std::string>({"simple", "heaviest", "reasons_1", "reasons_3",
                                    "reasons_6", "reasons_all"}),
          "Requests of the set to drive (tools/bench/request_set.h)");
ABSL_FLAG(std::vector<std::string>, in_flight, std::vector<std::string>({"64"}),
          "Calls kept in flight, one run per value");
ABSL_FLAG(int, rounds, 3, "Rounds per request; each runs both servers (1..20)");
ABSL_FLAG(absl::Duration, round_time, absl::Seconds(2),
          "Measured time per server per round (up to 30s)");
ABSL_FLAG(absl::Duration, warmup, absl::Milliseconds(300), "Unmeasured lead-in per run");
ABSL_FLAG(int, channels, 2, "Connections the calls are spread over");
ABSL_FLAG(int, starts, 5, "Server starts timed to the listening line (1..20)");

namespace escalation::bench {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "escalation-bench: %s\n", std::string(status.message()).c_str());
  return 1;
}

struct Settings {
  std::vector<NamedRequest> requests;
  std::vector<int> in_flight;
  int rounds = 3;
  std::vector<std::string> server_argv;
  std::vector<std::string> echo_argv;  // Without --responses.
};

absl::StatusOr<Settings> ReadSettings(const std::vector<char*>& positional) {
  Settings s;
  for (const std::string& flag : {absl::GetFlag(FLAGS_server_binary),
                                  absl::GetFlag(FLAGS_echo_binary),
                                  absl::GetFlag(FLAGS_plugin_dir)}) {
    if (flag.empty()) {
      return absl::InvalidArgumentError(
          "--server_binary, --echo_binary and --plugin_dir are required");
    }
  }
  std::map<std::string, NamedRequest> known;
  for (NamedRequest& r : RequestSet()) known[r.name] = std::move(r);
  for (const std::string& name : absl::GetFlag(FLAGS_requests)) {
    auto it = known.find(name);
    if (it == known.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--requests: no request named \"", name, "\""));
    }
    s.requests.push_back(it->second);
  }
  for (const std::string& value : absl::GetFlag(FLAGS_in_flight)) {
    int n = 0;
    if (!absl::SimpleAtoi(value, &n) || n < 1 || n > 1024) {
      return absl::InvalidArgumentError(
          absl::StrCat("--in_flight: \"", value, "\" is not a count in 1..1024"));
    }
    s.in_flight.push_back(n);
  }
  s.rounds = absl::GetFlag(FLAGS_rounds);
  if (s.rounds < 1 || s.rounds > 20) {
    return absl::InvalidArgumentError("--rounds: must be in 1..20");
  }
  const absl::Duration t = absl::GetFlag(FLAGS_round_time);
  if (t <= absl::ZeroDuration() || t > absl::Seconds(30) ||
      absl::GetFlag(FLAGS_warmup) < absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_warmup) > absl::Seconds(10)) {
    return absl::InvalidArgumentError(
        "--round_time must be in (0, 30s] and --warmup in [0, 10s]");
  }
  const int starts = absl::GetFlag(FLAGS_starts);
  if (starts < 1 || starts > 20) return absl::InvalidArgumentError("--starts: 1..20");
  // Only loopback: both servers listen on 127.0.0.1 on a port the system picks.
  s.server_argv = {absl::GetFlag(FLAGS_server_binary), "--listen=127.0.0.1:0",
                   "--plugin_dir=" + absl::GetFlag(FLAGS_plugin_dir)};
  for (size_t i = 1; i < positional.size(); ++i) s.server_argv.push_back(positional[i]);
  s.echo_argv = {absl::GetFlag(FLAGS_echo_binary), "--listen=127.0.0.1:0"};
  return s;
}

absl::StatusOr<LoadResult> Drive(const ServerProcess& server, const std::string& request,
                                 int in_flight) {
  LoadOptions options;
  options.address = server.address();
  options.request = request;
  options.in_flight = in_flight;
  options.channels = absl::GetFlag(FLAGS_channels);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.measure = absl::GetFlag(FLAGS_round_time);
  options.server_cpu = [&server] { return server.CpuTime(); };
  options.server_switches = [&server] { return server.VoluntarySwitches(); };
  return RunLoad(options);
}

int Run(const Settings& settings) {
  const absl::Duration start_timeout = absl::Seconds(30);
  // Start-up: the server is SERVING when it prints its listening line.
  std::vector<absl::Duration> start_times;
  std::unique_ptr<ServerProcess> server;
  for (int i = 0; i < absl::GetFlag(FLAGS_starts); ++i) {
    if (server != nullptr) {
      if (absl::Status s = server->Stop(); !s.ok()) return Fail(s);
    }
    auto started = ServerProcess::Start(settings.server_argv, start_timeout);
    if (!started.ok()) return Fail(started.status());
    server = std::move(*started);
    start_times.push_back(server->start_time());
  }
  std::printf("server: %s (pid %d)\n", absl::StrJoin(settings.server_argv, " ").c_str(),
              server->pid());

  // The echo server answers what the real server answered, byte for byte.
  BytePairs pairs;
  for (const NamedRequest& r : settings.requests) {
    const std::string bytes = r.request.SerializeAsString();
    auto response = CallOnce(server->address(), kRouteMethod, bytes);
    if (!response.ok()) return Fail(response.status());
    pairs.emplace_back(bytes, *response);
  }
  char pairs_path[] = "/tmp/escalation-bench-pairs-XXXXXX";
  const int fd = mkstemp(pairs_path);
  if (fd < 0) return Fail(absl::UnavailableError("cannot create a file in /tmp"));
  close(fd);
  if (absl::Status s = WritePairs(pairs_path, pairs); !s.ok()) return Fail(s);
  std::vector<std::string> echo_argv = settings.echo_argv;
  echo_argv.push_back(absl::StrCat("--responses=", pairs_path));
  auto echo = ServerProcess::Start(echo_argv, start_timeout);
  std::remove(pairs_path);
  if (!echo.ok()) return Fail(echo.status());
  for (const auto& [request, response] : pairs) {
    auto echoed = CallOnce((*echo)->address(), kRouteMethod, request);
    if (!echoed.ok()) return Fail(echoed.status());
    if (*echoed != response) {
      return Fail(absl::InternalError("the echo server answered other bytes"));
    }
  }

  Report report;
  report.SetStartTimes(start_times);
  for (int in_flight : settings.in_flight) {
    for (size_t i = 0; i < settings.requests.size(); ++i) {
      const NamedRequest& r = settings.requests[i];
      for (int round = 0; round < settings.rounds; ++round) {
        // Alternate which goes first, so neither always runs on a warmer machine.
        const bool server_first = round % 2 == 0;
        LoadResult results[2];
        for (int turn = 0; turn < 2; ++turn) {
          const bool real = (turn == 0) == server_first;
          auto result = Drive(real ? *server : **echo, pairs[i].first, in_flight);
          if (!result.ok()) return Fail(result.status());
          results[real ? 0 : 1] = *result;
        }
        report.AddRound(r, in_flight, results[0], results[1]);
        PrintRound(r.name, in_flight, round, results[0], results[1]);
      }
    }
  }
  auto rss = server->ResidentBytes(/*peak=*/false);
  auto peak = server->ResidentBytes(/*peak=*/true);
  auto pss = server->ProportionalBytes();
  report.SetResident(rss.ok() ? *rss : 0, peak.ok() ? *peak : 0, pss.ok() ? *pss : 0);
  report.Print();
  if (absl::Status s = (*echo)->Stop(); !s.ok()) return Fail(s);
  if (absl::Status s = server->Stop(); !s.ok()) return Fail(s);
  return 0;
}

}  // namespace
}  // namespace escalation::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures the escalation server against a bare gRPC echo server.\n"
      "  escalation-bench --server_binary=B --echo_binary=E --plugin_dir=D "
      "[-- server flags]");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  // The client shares the machine with the server it measures, so it spends
  // no CPU on Debian's mutex deadlock detector either.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  auto settings = escalation::bench::ReadSettings(positional);
  if (!settings.ok()) return escalation::bench::Fail(settings.status());
  return escalation::bench::Run(*settings);
}
