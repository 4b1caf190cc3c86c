// The plugin worker processes a process started, found in /proc.
#ifndef ESCALATION_TESTS_SUPPORT_WORKER_PROCESSES_H_
#define ESCALATION_TESTS_SUPPORT_WORKER_PROCESSES_H_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace escalation::test {

// The pids of `parent`'s children (this process's by default) that serve the
// plugin file `path` (their command line holds --plugin=PATH).
inline std::set<int> WorkerPids(const std::string& path, int parent_pid = getpid()) {
  const std::string wanted = "--plugin=" + path;
  std::set<int> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    auto read = [&](const char* name) {
      std::ifstream in(entry.path() / name);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string stat = read("stat");
    const std::string cmdline = read("cmdline");
    if (stat.find(')') == std::string::npos) continue;  // Ended meanwhile.
    // "pid (comm) state ppid ...": the parent is the second field after ")".
    const std::vector<std::string> fields =
        absl::StrSplit(stat.substr(stat.rfind(')') + 2), ' ');
    int parent = 0;
    if (fields.size() < 2 || !absl::SimpleAtoi(fields[1], &parent) || parent != parent_pid) {
      continue;
    }
    for (absl::string_view arg : absl::StrSplit(cmdline, '\0')) {
      if (arg == wanted) pids.insert(pid);
    }
  }
  return pids;
}

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_SUPPORT_WORKER_PROCESSES_H_
