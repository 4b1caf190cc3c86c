#include "server/app/protobuf_log.h"

#include <cstdio>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/stubs/logging.h"

namespace escalation::app {
namespace {

// Protobuf's log messages quote field names, not values, but a bound keeps
// one line a line.
constexpr size_t kMaxMessageBytes = 500;

absl::Mutex throttle_mutex(absl::kConstInit);
LogThrottle* throttle ABSL_GUARDED_BY(throttle_mutex) = nullptr;

const char* LevelName(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO: return "INFO";
    case google::protobuf::LOGLEVEL_WARNING: return "WARNING";
    case google::protobuf::LOGLEVEL_ERROR: return "ERROR";
    case google::protobuf::LOGLEVEL_FATAL: return "FATAL";
  }
  return "?";
}

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                       const std::string& message) {
  LogThrottle::Verdict verdict{true, std::nullopt};
  if (level != google::protobuf::LOGLEVEL_FATAL) {
    absl::MutexLock lock(&throttle_mutex);
    verdict = throttle->Admit(absl::Now());
  }
  if (!verdict.write) return;
  if (verdict.suppressed_before) {
    std::fprintf(stderr, "escalation-server: protobuf: %lld more log lines suppressed\n",
                 static_cast<long long>(*verdict.suppressed_before));
  }
  const bool cut = message.size() > kMaxMessageBytes;
  std::fprintf(stderr, "escalation-server: protobuf %s %s:%d: %.*s%s\n", LevelName(level),
               filename, line, static_cast<int>(cut ? kMaxMessageBytes : message.size()),
               message.data(), cut ? "…" : "");
}

}  // namespace

LogThrottle::Verdict LogThrottle::Admit(absl::Time now) {
  if (now - window_start_ >= absl::Seconds(1)) {
    window_start_ = now;
    lines_in_window_ = 0;
  }
  if (lines_in_window_ >= max_lines_) {
    ++suppressed_;
    return {};
  }
  ++lines_in_window_;
  Verdict verdict{true, std::nullopt};
  if (suppressed_ > 0) verdict.suppressed_before = suppressed_;
  suppressed_ = 0;
  return verdict;
}

void InstallProtobufLogHandler(int max_lines_per_second) {
  {
    absl::MutexLock lock(&throttle_mutex);
    delete throttle;
    throttle = new LogThrottle(max_lines_per_second);
  }
  google::protobuf::SetLogHandler(&HandleProtobufLog);
}

}  // namespace escalation::app
