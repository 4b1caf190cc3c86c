#include "server/logging/logger.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/logging/json.h"

namespace escalation::observability {

absl::StatusOr<LogLevel> ParseLogLevel(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower == "debug") return LogLevel::kDebug;
  if (lower == "info") return LogLevel::kInfo;
  if (lower == "warning" || lower == "warn") return LogLevel::kWarning;
  if (lower == "error") return LogLevel::kError;
  return absl::InvalidArgumentError(absl::StrCat(
      "log level \"", name, "\" is not one of debug, info, warning, error"));
}

absl::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

LogField StrField(absl::string_view key, absl::string_view value) {
  return {std::string(key), JsonQuote(value)};
}
LogField IntField(absl::string_view key, int64_t value) {
  return {std::string(key), absl::StrCat(value)};
}
LogField BoolField(absl::string_view key, bool value) {
  return {std::string(key), value ? "true" : "false"};
}

Logger& Logger::Default() {
  static Logger* logger = new Logger(stderr);
  return *logger;
}

std::string FormatLogLine(absl::Time time, LogLevel level, absl::string_view event,
                          absl::string_view message,
                          std::initializer_list<LogField> fields) {
  JsonObject line;
  line.AddString("time", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone()))
      .AddString("level", LogLevelName(level))
      .AddString("event", event)
      .AddString("msg", message);
  for (const LogField& field : fields) line.AddRaw(field.key, field.json);
  return line.Finish();
}

void Logger::Log(LogLevel level, absl::string_view event, absl::string_view message,
                 std::initializer_list<LogField> fields) {
  if (!Enabled(level)) return;
  const std::string line = FormatLogLine(absl::Now(), level, event, message, fields) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace escalation::observability
