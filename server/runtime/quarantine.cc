#include "server/runtime/quarantine.h"

namespace escalation::runtime {

bool Quarantine::RecordFailure(absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (failures_ <= 0) return false;
  recent_.push_back(now);
  while (!recent_.empty() && recent_.front() <= now - window_) recent_.pop_front();
  const bool quarantined = quarantined_.load(std::memory_order_relaxed);
  const bool on_probation = quarantined && now >= until_;
  if (!on_probation && (quarantined || static_cast<int>(recent_.size()) < failures_)) {
    return false;
  }
  quarantined_.store(true, std::memory_order_relaxed);
  until_ = now + duration_;
  return true;
}

void Quarantine::RecordSuccess() {
  if (!quarantined_.load(std::memory_order_relaxed)) return;
  absl::MutexLock lock(&mu_);
  // An answer from a call that started before the quarantine does not end it.
  if (!quarantined_.load(std::memory_order_relaxed) || absl::Now() < until_) return;
  quarantined_.store(false, std::memory_order_relaxed);
  recent_.clear();
}

bool Quarantine::Refuses(absl::Time now, absl::Time* until) const {
  if (!quarantined_.load(std::memory_order_relaxed)) return false;
  absl::MutexLock lock(&mu_);
  if (!quarantined_.load(std::memory_order_relaxed) || now >= until_) return false;
  *until = until_;
  return true;
}

}  // namespace escalation::runtime
