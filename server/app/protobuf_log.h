// Protobuf's own log lines (e.g. "String field ... contains invalid UTF-8
// data", one per bad request) go to stderr through a throttle, so hostile
// input cannot flood the server's log.
#ifndef ESCALATION_SERVER_APP_PROTOBUF_LOG_H_
#define ESCALATION_SERVER_APP_PROTOBUF_LOG_H_

#include <cstdint>
#include <optional>

#include "absl/time/time.h"

namespace escalation::app {

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

 private:
  const int max_lines_;
  absl::Time window_start_ = absl::InfinitePast();
  int lines_in_window_ = 0;
  int64_t suppressed_ = 0;
};

// Installs, with google::protobuf::SetLogHandler, a handler that writes
// protobuf's log lines to stderr as "escalation-server: protobuf LEVEL
// file:line: message", at most `max_lines_per_second` a second; when lines
// were dropped, the next line written is preceded by one counting them.
// FATAL lines are always written. Call once at start-up, before serving.
void InstallProtobufLogHandler(int max_lines_per_second = 10);

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_PROTOBUF_LOG_H_
