// Runs the escalation-server binary as a child process, for tests of what
// only a real process shows (signals, exit codes, start-up failures).
#ifndef ESCALATION_TESTS_SUPPORT_SERVER_PROCESS_H_
#define ESCALATION_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace escalation::test {

class ServerProcess {
 public:
  // Starts the server with `args` (plus --listen=127.0.0.1:0) and waits until
  // it says which port it listens on, or until it exits.
  static absl::StatusOr<ServerProcess> Start(const std::vector<std::string>& args);

  ServerProcess(ServerProcess&& other) noexcept;
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string address() const;
  void Signal(int signal) const;
  // Waits for the process to exit; returns its exit code (128+N if killed by N).
  // Also collects what it wrote to stderr.
  int Wait();
  const std::string& output() const { return output_; }

 private:
  ServerProcess() = default;

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  int port_ = 0;
  std::string output_;
};

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_SUPPORT_SERVER_PROCESS_H_
