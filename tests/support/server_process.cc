#include "tests/support/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "absl/strings/str_cat.h"

namespace escalation::test {

absl::StatusOr<ServerProcess> ServerProcess::Start(
    const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return absl::InternalError("pipe failed");
  std::vector<std::string> argv_strings = {ESCALATION_SERVER_BINARY,
                                           "--listen=127.0.0.1:0"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);

  ServerProcess process;
  process.pid_ = pid;
  process.stderr_fd_ = pipe_fds[0];
  const std::regex listening("listening on .* \\(port ([0-9]+)\\)");
  char buffer[4096];
  while (process.port_ == 0) {
    const ssize_t n = read(process.stderr_fd_, buffer, sizeof(buffer));
    if (n <= 0) {
      const int code = process.Wait();
      return absl::FailedPreconditionError(absl::StrCat(
          "server exited with ", code, " before listening: ", process.output_));
    }
    process.output_.append(buffer, static_cast<size_t>(n));
    std::smatch match;
    if (std::regex_search(process.output_, match, listening)) {
      process.port_ = std::atoi(match[1].str().c_str());
    }
  }
  return process;
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(other.pid_), stderr_fd_(other.stderr_fd_), port_(other.port_),
      output_(std::move(other.output_)) {
  other.pid_ = -1;
  other.stderr_fd_ = -1;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

std::string ServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void ServerProcess::Signal(int signal) const { kill(pid_, signal); }

int ServerProcess::Wait() {
  if (pid_ <= 0) return -1;
  char buffer[4096];
  ssize_t n;
  while (stderr_fd_ >= 0 && (n = read(stderr_fd_, buffer, sizeof(buffer))) > 0) {
    output_.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

}  // namespace escalation::test
