// What escalation-bench prints: a line per round as it goes, then medians per
// request and the figures issue 11 steers by, as Markdown tables.
#ifndef ESCALATION_TOOLS_BENCH_REPORT_H_
#define ESCALATION_TOOLS_BENCH_REPORT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "tools/bench/load.h"
#include "tools/bench/request_set.h"

namespace escalation::bench {

void PrintRound(const std::string& request, int in_flight, int round,
                const LoadResult& server, const LoadResult& echo);

class Report {
 public:
  void SetStartTimes(std::vector<absl::Duration> times) { start_times_ = std::move(times); }
  void SetResident(int64_t now_bytes, int64_t peak_bytes, int64_t proportional_bytes) {
    rss_bytes_ = now_bytes;
    peak_rss_bytes_ = peak_bytes;
    pss_bytes_ = proportional_bytes;
  }
  void AddRound(const NamedRequest& request, int in_flight, const LoadResult& server,
                const LoadResult& echo);
  void Print() const;

 private:
  struct Rounds {
    std::string what;
    std::vector<LoadResult> server, echo;
  };
  using Key = std::pair<int, std::string>;  // In flight, request name.

  std::vector<Key> order_;
  std::map<Key, Rounds> rounds_;
  std::vector<absl::Duration> start_times_;
  int64_t rss_bytes_ = 0, peak_rss_bytes_ = 0, pss_bytes_ = 0;
};

}  // namespace escalation::bench

#endif  // ESCALATION_TOOLS_BENCH_REPORT_H_
