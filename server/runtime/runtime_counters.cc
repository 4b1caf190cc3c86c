#include "server/runtime/runtime_counters.h"

#include <map>

#include "absl/synchronization/mutex.h"

namespace escalation::runtime {
namespace {

struct Table {
  absl::Mutex mu;
  std::map<std::string, std::unique_ptr<RuntimeCounters>> by_plugin ABSL_GUARDED_BY(mu);
};

Table& TheTable() {
  static Table* table = new Table();
  return *table;
}

}  // namespace

RuntimeCounters& RuntimeCountersFor(const std::string& plugin) {
  Table& table = TheTable();
  absl::MutexLock lock(&table.mu);
  std::unique_ptr<RuntimeCounters>& counters = table.by_plugin[plugin];
  if (counters == nullptr) counters = std::make_unique<RuntimeCounters>();
  return *counters;
}

std::vector<std::pair<std::string, const RuntimeCounters*>> AllRuntimeCounters() {
  Table& table = TheTable();
  absl::MutexLock lock(&table.mu);
  std::vector<std::pair<std::string, const RuntimeCounters*>> all;
  for (const auto& [plugin, counters] : table.by_plugin) all.emplace_back(plugin, counters.get());
  return all;
}

}  // namespace escalation::runtime
