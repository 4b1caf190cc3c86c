// The server's structured log: one JSON object a line (JSON Lines), written
// whole with one call so lines from different threads never interleave.
//
//   {"time":"2026-12-01T10:00:00.123456Z","level":"info","event":"plugin_loaded",
//    "msg":"loaded plugin customer_service 1.2.0","plugin":"customer_service",...}
//
// `time`, `level`, `event` (a stable name to filter on) and `msg` (for people)
// come first in every line; the event's own fields follow. docs/operations.md
// lists the events.
#ifndef ESCALATION_SERVER_LOGGING_LOGGER_H_
#define ESCALATION_SERVER_LOGGING_LOGGER_H_

#include <cstdint>
#include <cstdio>
#include <atomic>
#include <initializer_list>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace escalation::observability {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning" (or "warn"), "error"; anything else is
// INVALID_ARGUMENT naming the accepted values.
absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name);
absl::string_view LogLevelName(LogLevel level);

// One field of a log line: its key and its value already encoded as JSON.
struct LogField {
  std::string key;
  std::string json;
};
LogField StrField(absl::string_view key, absl::string_view value);
LogField IntField(absl::string_view key, int64_t value);
LogField BoolField(absl::string_view key, bool value);

class Logger {
 public:
  // Writes to `out` (not owned), lines below `min_level` are skipped.
  explicit Logger(std::FILE* out, LogLevel min_level = LogLevel::kInfo)
      : out_(out), min_level_(min_level) {}

  // The process-wide logger, on stderr.
  static Logger& Default();

  void set_min_level(LogLevel level) { min_level_ = level; }
  bool Enabled(LogLevel level) const { return level >= min_level_; }

  void Log(LogLevel level, absl::string_view event, absl::string_view message,
           std::initializer_list<LogField> fields = {});
  void Info(absl::string_view event, absl::string_view message,
            std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kInfo, event, message, fields);
  }
  void Warning(absl::string_view event, absl::string_view message,
               std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kWarning, event, message, fields);
  }
  void Error(absl::string_view event, absl::string_view message,
             std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kError, event, message, fields);
  }

 private:
  std::FILE* out_;
  std::atomic<LogLevel> min_level_;
  std::mutex mutex_;
};

// Formats one line (without the newline); the Logger's format, for tests and
// for callers that write elsewhere.
std::string FormatLogLine(absl::Time time, LogLevel level, absl::string_view event,
                          absl::string_view message,
                          std::initializer_list<LogField> fields);

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_LOGGING_LOGGER_H_
