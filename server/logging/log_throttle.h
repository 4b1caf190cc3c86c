// A bound on how many lines a source of repeated log lines (one per failed
// call, per bad request, per failed handshake) may write: at most N a second;
// the rest are counted, and the next line written says how many were
// suppressed, so hostile or failing traffic cannot flood the log.
#ifndef ESCALATION_SERVER_LOGGING_LOG_THROTTLE_H_
#define ESCALATION_SERVER_LOGGING_LOG_THROTTLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/logging/logger.h"

namespace escalation::observability {

// At most `max_lines` lines per one-second window. Not thread-safe by itself.
class LogThrottle {
 public:
  explicit LogThrottle(int max_lines) : max_lines_(max_lines) {}

  struct Verdict {
    bool write = false;
    // Set on the first line written after lines were dropped: how many.
    std::optional<int64_t> suppressed_before;
  };
  Verdict Admit(absl::Time now);
  // Lines suppressed since the process started.
  int64_t total_suppressed() const { return total_suppressed_; }

 private:
  const int max_lines_;
  absl::Time window_start_ = absl::InfinitePast();
  int lines_in_window_ = 0;
  int64_t suppressed_ = 0;
  int64_t total_suppressed_ = 0;
};

// A LogThrottle for lines written from any thread, for the log event
// `event`; what it suppresses is counted in SuppressedLogLines().
class SharedLogThrottle {
 public:
  SharedLogThrottle(std::string event, int max_lines_per_second);
  ~SharedLogThrottle();
  SharedLogThrottle(const SharedLogThrottle&) = delete;
  SharedLogThrottle& operator=(const SharedLogThrottle&) = delete;

  LogThrottle::Verdict Admit();
  int64_t total_suppressed();
  const std::string& event() const { return event_; }

 private:
  const std::string event_;
  absl::Mutex mu_;
  LogThrottle throttle_ ABSL_GUARDED_BY(mu_);
};

// Log lines suppressed since start, summed by event over every live
// SharedLogThrottle (escalation_log_lines_suppressed_total).
std::vector<std::pair<std::string, int64_t>> SuppressedLogLines();

// Writes the line through `logger` when `throttle` admits it. When lines were
// suppressed before it, it is preceded by one counting them: event `event`,
// msg "<source>: N more log lines suppressed", field "suppressed". FATAL-like
// callers that must always write bypass this.
void LogThrottled(Logger& logger, SharedLogThrottle& throttle, LogLevel level,
                  absl::string_view source, absl::string_view event, absl::string_view message,
                  std::initializer_list<LogField> fields = {});

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_LOGGING_LOG_THROTTLE_H_
