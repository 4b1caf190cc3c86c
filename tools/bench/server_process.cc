#include "tools/bench/server_process.h"

#include <signal.h>
#include <spawn.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "absl/time/clock.h"

extern char** environ;

namespace escalation::bench {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The N of "listening on ... (port N)", or 0. Searched from the "listening
// on" itself: with --metrics_listen, the metrics port's line comes first.
int PortIn(const std::string& log) {
  const size_t listening = log.find("listening on");
  if (listening == std::string::npos) return 0;
  const size_t at = log.find("(port ", listening);
  if (at == std::string::npos) return 0;
  int port = 0;
  const size_t end = log.find(')', at);
  if (end == std::string::npos) return 0;
  return absl::SimpleAtoi(log.substr(at + 6, end - at - 6), &port) ? port : 0;
}

struct ProcessStat {
  int parent = 0;
  int64_t ticks = 0;  // utime + stime.
};

absl::StatusOr<ProcessStat> ReadStat(int pid) {
  const std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  // Fields after the command name, which is in parentheses and may hold
  // spaces: ppid is field 4 of the whole line, utime and stime 14 and 15.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 > stat.size()) {
    return absl::NotFoundError(absl::StrCat("no /proc/", pid, "/stat"));
  }
  std::vector<std::string> fields =
      absl::StrSplit(stat.substr(close + 2), ' ', absl::SkipEmpty());
  ProcessStat s;
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[1], &s.parent) ||
      !absl::SimpleAtoi(fields[11], &utime) || !absl::SimpleAtoi(fields[12], &stime)) {
    return absl::InternalError(absl::StrCat("unexpected /proc/", pid, "/stat"));
  }
  s.ticks = utime + stime;
  return s;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::vector<std::string>& argv, absl::Duration timeout) {
  std::unique_ptr<ServerProcess> process(new ServerProcess());
  char log_template[] = "/tmp/escalation-bench-XXXXXX";
  const int log_fd = mkstemp(log_template);
  if (log_fd < 0) return absl::UnavailableError("cannot create a log file in /tmp");
  close(log_fd);
  process->log_path_ = log_template;

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_template,
                                   O_WRONLY | O_TRUNC, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  const absl::Time started = absl::Now();
  const int spawned =
      posix_spawn(&process->pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    process->pid_ = -1;
    return absl::NotFoundError(absl::StrCat("cannot start ", argv[0]));
  }
  while (absl::Now() - started < timeout) {
    if ((process->port_ = PortIn(ReadFile(process->log_path_))) != 0) break;
    int status = 0;
    if (waitpid(process->pid_, &status, WNOHANG) == process->pid_) {
      process->pid_ = -1;
      return absl::FailedPreconditionError(
          absl::StrCat(argv[0], " exited before listening:\n", process->Log()));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  process->start_time_ = absl::Now() - started;
  if (process->port_ == 0) {
    return absl::DeadlineExceededError(
        absl::StrCat(argv[0], " did not listen within ", absl::FormatDuration(timeout),
                     ":\n", process->Log()));
  }
  return process;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop().IgnoreError();
  if (!log_path_.empty()) std::remove(log_path_.c_str());
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

std::vector<int> ServerProcess::Family() const {
  std::vector<int> family = {pid_};
  // Plugin worker processes (the server's children) work for it too.
  if (DIR* proc = opendir("/proc")) {
    while (const dirent* entry = readdir(proc)) {
      int pid = 0;
      if (!absl::SimpleAtoi(entry->d_name, &pid) || pid == pid_) continue;
      absl::StatusOr<ProcessStat> child = ReadStat(pid);
      if (child.ok() && child->parent == pid_) family.push_back(pid);
    }
    closedir(proc);
  }
  return family;
}

absl::StatusOr<absl::Duration> ServerProcess::CpuTime() const {
  int64_t ticks = 0;
  for (int pid : Family()) {
    absl::StatusOr<ProcessStat> stat = ReadStat(pid);
    if (!stat.ok() && pid == pid_) return stat.status();
    if (stat.ok()) ticks += stat->ticks;
  }
  return absl::Seconds(1) * ticks / sysconf(_SC_CLK_TCK);
}

int64_t ServerProcess::VoluntarySwitches() const {
  int64_t switches = 0;
  for (int pid : Family()) {
    DIR* tasks = opendir(absl::StrCat("/proc/", pid, "/task").c_str());
    if (tasks == nullptr) continue;
    while (const dirent* entry = readdir(tasks)) {
      if (entry->d_name[0] == '.') continue;
      for (absl::string_view line : absl::StrSplit(
               ReadFile(absl::StrCat("/proc/", pid, "/task/", entry->d_name, "/status")), '\n')) {
        int64_t n = 0;
        if (absl::ConsumePrefix(&line, "voluntary_ctxt_switches:") &&
            absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &n)) {
          switches += n;
        }
      }
    }
    closedir(tasks);
  }
  return switches;
}

namespace {

// The sum over `pids` of a "Key:   N kB" line of /proc/PID/`file`.
absl::StatusOr<int64_t> SumOfKilobytes(const std::vector<int>& pids, const char* file,
                                       absl::string_view key) {
  int64_t bytes = 0;
  for (int pid : pids) {
    for (absl::string_view line :
         absl::StrSplit(ReadFile(absl::StrCat("/proc/", pid, "/", file)), '\n')) {
      int64_t kib = 0;
      if (absl::ConsumePrefix(&line, key) && absl::ConsumeSuffix(&line, " kB") &&
          absl::SimpleAtoi(line, &kib)) {
        bytes += kib * 1024;
      }
    }
  }
  if (bytes == 0) return absl::NotFoundError(absl::StrCat("no ", key, " in /proc/PID/", file));
  return bytes;
}

}  // namespace

absl::StatusOr<int64_t> ServerProcess::ResidentBytes(bool peak) const {
  return SumOfKilobytes(Family(), "status", peak ? "VmHWM:" : "VmRSS:");
}

absl::StatusOr<int64_t> ServerProcess::ProportionalBytes() const {
  return SumOfKilobytes(Family(), "smaps_rollup", "Pss:");
}

absl::Status ServerProcess::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("server did not exit 0 on SIGTERM:\n", Log()));
  }
  return absl::OkStatus();
}

}  // namespace escalation::bench
