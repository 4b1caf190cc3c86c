#include "server/observability/process_metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace escalation::observability {
namespace {

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream out;
  out << in.rdbuf();
  *text = out.str();
  return true;
}

// The fields of /proc/PID/stat after "(comm)", which may itself hold spaces
// and parentheses: [0] is field 3 (state) of proc(5).
std::vector<std::string> StatFields(pid_t pid) {
  std::string text;
  if (!ReadFile(absl::StrCat("/proc/", pid, "/stat"), &text)) return {};
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return {};
  return absl::StrSplit(absl::string_view(text).substr(close + 1), ' ', absl::SkipEmpty());
}

double Field(const std::vector<std::string>& fields, int proc5_number) {
  const size_t at = static_cast<size_t>(proc5_number - 3);
  double value = 0;
  if (at >= fields.size() || !absl::SimpleAtod(fields[at], &value)) return 0;
  return value;
}

double BootTimeSeconds() {
  std::string text;
  if (!ReadFile("/proc/stat", &text)) return 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, "btime ")) {
      double seconds = 0;
      return absl::SimpleAtod(line, &seconds) ? seconds : 0;
    }
  }
  return 0;
}

double CountOpenFds(pid_t pid) {
  DIR* dir = opendir(absl::StrCat("/proc/", pid, "/fd").c_str());
  if (dir == nullptr) return 0;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

double SoftFdLimit(pid_t pid) {
  std::string text;
  if (!ReadFile(absl::StrCat("/proc/", pid, "/limits"), &text)) return 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, "Max open files")) continue;
    std::vector<absl::string_view> words = absl::StrSplit(line, ' ', absl::SkipEmpty());
    double soft = 0;
    return !words.empty() && absl::SimpleAtod(words[0], &soft) ? soft : 0;
  }
  return 0;
}

prometheus::ClientMetric Sample(const prometheus::ClientMetric& labels, double value,
                                bool counter) {
  prometheus::ClientMetric metric = labels;
  if (counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return metric;
}

}  // namespace

absl::StatusOr<ProcessStats> ReadProcessStats(pid_t pid) {
  const std::vector<std::string> stat = StatFields(pid);
  if (stat.size() < 22) return absl::NotFoundError(absl::StrCat("no process ", pid));
  static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  static const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  static const double boot = BootTimeSeconds();
  ProcessStats stats;
  stats.cpu_seconds = (Field(stat, 14) + Field(stat, 15)) / ticks;  // utime + stime
  stats.start_time_seconds = boot + Field(stat, 22) / ticks;        // starttime
  stats.virtual_bytes = Field(stat, 23);                            // vsize
  stats.resident_bytes = Field(stat, 24) * page;                    // rss, in pages
  stats.open_fds = CountOpenFds(pid);
  stats.max_fds = SoftFdLimit(pid);
  return stats;
}

std::vector<PluginWorker> FindPluginWorkers(pid_t parent) {
  std::vector<PluginWorker> workers;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return workers;
  while (const dirent* entry = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    if (Field(StatFields(pid), 4) != parent) continue;  // ppid
    std::string cmdline;
    if (!ReadFile(absl::StrCat("/proc/", pid, "/cmdline"), &cmdline)) continue;
    for (absl::string_view arg : absl::StrSplit(cmdline, '\0')) {
      if (absl::ConsumePrefix(&arg, "--plugin=")) {
        const size_t slash = arg.rfind('/');
        workers.push_back(
            {pid, std::string(slash == absl::string_view::npos ? arg : arg.substr(slash + 1))});
        break;
      }
    }
  }
  closedir(proc);
  return workers;
}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  struct Labelled {
    prometheus::ClientMetric labels;
    ProcessStats stats;
  };
  std::vector<Labelled> processes;
  if (auto self = ReadProcessStats(getpid()); self.ok()) processes.push_back({{}, *self});
  for (const PluginWorker& worker : FindPluginWorkers(getpid())) {
    auto stats = ReadProcessStats(worker.pid);
    if (!stats.ok()) continue;  // Ended since it was found.
    prometheus::ClientMetric labels;
    labels.label = {{"pid", absl::StrCat(worker.pid)}, {"plugin_file", worker.plugin_file}};
    processes.push_back({labels, *stats});
  }
  std::vector<prometheus::MetricFamily> families;
  auto add = [&](const char* name, const char* help, bool counter,
                 double ProcessStats::*value) {
    prometheus::MetricFamily family{
        name, help, counter ? prometheus::MetricType::Counter : prometheus::MetricType::Gauge,
        {}};
    for (const Labelled& p : processes) {
      family.metric.push_back(Sample(p.labels, p.stats.*value, counter));
    }
    families.push_back(std::move(family));
  };
  add("process_cpu_seconds_total", "User and system CPU time spent, in seconds", true,
      &ProcessStats::cpu_seconds);
  add("process_resident_memory_bytes", "Resident memory size, in bytes", false,
      &ProcessStats::resident_bytes);
  add("process_virtual_memory_bytes", "Virtual memory size, in bytes", false,
      &ProcessStats::virtual_bytes);
  add("process_open_fds", "Open file descriptors", false, &ProcessStats::open_fds);
  add("process_max_fds", "The most file descriptors the process may open (soft limit)",
      false, &ProcessStats::max_fds);
  add("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds",
      false, &ProcessStats::start_time_seconds);
  return families;
}

}  // namespace escalation::observability
