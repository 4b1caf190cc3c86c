// A server process the harness starts on a loopback port and watches: how
// long it took to say it is listening (it does once it is SERVING), its CPU
// time and its resident memory, read from /proc/PID.
#ifndef ESCALATION_TOOLS_BENCH_SERVER_PROCESS_H_
#define ESCALATION_TOOLS_BENCH_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace escalation::bench {

class ServerProcess {
 public:
  // Runs `argv` (which must include a --listen=127.0.0.1:0 style flag) with
  // stderr to a temporary log, and waits up to `timeout` for its
  // "listening on ... (port N)" line. Errors carry the log.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::vector<std::string>& argv, absl::Duration timeout);
  ~ServerProcess();  // Stop()s it.

  pid_t pid() const { return pid_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  absl::Duration start_time() const { return start_time_; }

  // utime + stime so far, its own and its child processes' (plugin workers).
  absl::StatusOr<absl::Duration> CpuTime() const;
  // Voluntary context switches so far (each a thread blocking, to be woken
  // again), summed over the live threads of the server and its workers.
  int64_t VoluntarySwitches() const;
  // VmRSS or VmHWM from /proc/PID/status, in bytes, summed the same way.
  absl::StatusOr<int64_t> ResidentBytes(bool peak) const;
  // The proportional set size (Pss) of the server and its workers: resident
  // memory with each shared page (the libraries every worker maps) counted
  // once across them, which a sum of RSS counts in every process.
  absl::StatusOr<int64_t> ProportionalBytes() const;

  // SIGTERM, then waits; an exit other than 0 is an error carrying the log.
  absl::Status Stop();

 private:
  ServerProcess() = default;
  std::string Log() const;
  std::vector<int> Family() const;  // The server and its child processes.

  pid_t pid_ = -1;
  int port_ = 0;
  absl::Duration start_time_;
  std::string log_path_;
};

}  // namespace escalation::bench

#endif  // ESCALATION_TOOLS_BENCH_SERVER_PROCESS_H_
