#include "server/logging/log_throttle.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace escalation::observability {

LogThrottle::Verdict LogThrottle::Admit(absl::Time now) {
  if (now - window_start_ >= absl::Seconds(1)) {
    window_start_ = now;
    lines_in_window_ = 0;
  }
  if (lines_in_window_ >= max_lines_) {
    ++suppressed_;
    ++total_suppressed_;
    return {};
  }
  ++lines_in_window_;
  Verdict verdict{true, std::nullopt};
  if (suppressed_ > 0) verdict.suppressed_before = suppressed_;
  suppressed_ = 0;
  return verdict;
}

namespace {

absl::Mutex registry_mu(absl::kConstInit);
std::vector<SharedLogThrottle*>* live_throttles ABSL_GUARDED_BY(registry_mu) = nullptr;

}  // namespace

SharedLogThrottle::SharedLogThrottle(std::string event, int max_lines_per_second)
    : event_(std::move(event)), throttle_(max_lines_per_second) {
  absl::MutexLock lock(&registry_mu);
  if (live_throttles == nullptr) live_throttles = new std::vector<SharedLogThrottle*>();
  live_throttles->push_back(this);
}

SharedLogThrottle::~SharedLogThrottle() {
  absl::MutexLock lock(&registry_mu);
  live_throttles->erase(std::find(live_throttles->begin(), live_throttles->end(), this));
}

std::vector<std::pair<std::string, int64_t>> SuppressedLogLines() {
  std::map<std::string, int64_t> by_event;
  absl::MutexLock lock(&registry_mu);
  if (live_throttles == nullptr) return {};
  for (SharedLogThrottle* throttle : *live_throttles) {
    by_event[throttle->event()] += throttle->total_suppressed();
  }
  return {by_event.begin(), by_event.end()};
}

LogThrottle::Verdict SharedLogThrottle::Admit() {
  absl::MutexLock lock(&mu_);
  return throttle_.Admit(absl::Now());
}

int64_t SharedLogThrottle::total_suppressed() {
  absl::MutexLock lock(&mu_);
  return throttle_.total_suppressed();
}

void LogThrottled(Logger& logger, SharedLogThrottle& throttle, LogLevel level,
                  absl::string_view source, absl::string_view event, absl::string_view message,
                  std::initializer_list<LogField> fields) {
  if (!logger.Enabled(level)) return;
  const LogThrottle::Verdict verdict = throttle.Admit();
  if (!verdict.write) return;
  if (verdict.suppressed_before) {
    logger.Log(level, event,
               absl::StrCat(source, ": ", *verdict.suppressed_before,
                            " more log lines suppressed"),
               {IntField("suppressed", *verdict.suppressed_before)});
  }
  logger.Log(level, event, message, fields);
}

}  // namespace escalation::observability
