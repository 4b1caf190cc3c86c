#include "tests/support/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>

#include "absl/strings/str_cat.h"

namespace escalation::test {

// Reads the server's stderr until end of file, on a thread of its own.
struct ServerProcess::Reader {
  explicit Reader(int fd) : fd(fd), thread([this] { Run(); }) {}
  ~Reader() { Join(); }

  void Run() {
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
      std::lock_guard<std::mutex> lock(mu);
      text.append(buffer, static_cast<size_t>(n));
      changed.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu);
    ended = true;
    changed.notify_all();
  }
  void Join() {
    if (thread.joinable()) thread.join();
    if (fd >= 0) close(fd);
    fd = -1;
  }
  // Waits until `text` matches `pattern` (its first group's number) or the
  // pipe ends (0).
  int WaitForPort(const std::regex& pattern) {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      std::smatch match;
      if (std::regex_search(text, match, pattern)) return std::atoi(match[1].str().c_str());
      if (ended) return 0;
      changed.wait(lock);
    }
  }

  int fd;
  std::mutex mu;
  std::condition_variable changed;
  std::string text;
  bool ended = false;
  std::thread thread;
};

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
  process.reader_ = std::make_shared<Reader>(pipe_fds[0]);
  process.port_ = process.reader_->WaitForPort(std::regex("listening on .* \\(port ([0-9]+)\\)"));
  if (process.port_ == 0) {
    const int code = process.Wait();
    return absl::FailedPreconditionError(absl::StrCat(
        "server exited with ", code, " before listening: ", process.output_));
  }
  return process;
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(other.pid_), port_(other.port_), reader_(std::move(other.reader_)),
      output_(std::move(other.output_)) {
  other.pid_ = -1;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
}

std::string ServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void ServerProcess::Signal(int signal) const { kill(pid_, signal); }

std::string ServerProcess::output() const {
  if (reader_ == nullptr) return output_;
  std::lock_guard<std::mutex> lock(reader_->mu);
  return reader_->text;
}

int ServerProcess::Wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (reader_ != nullptr) {
    // Worker processes may hold the pipe a moment longer; they die with the server.
    reader_->Join();
    output_ = reader_->text;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

}  // namespace escalation::test
