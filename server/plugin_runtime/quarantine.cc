#include "server/plugin_runtime/quarantine.h"

namespace escalation::runtime {

bool Quarantine::RecordFailure(absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (failures_ <= 0) return false;
  recent_.push_back(now);
  while (!recent_.empty() && recent_.front() <= now - window_) recent_.pop_front();
  const bool on_probation = quarantined_ && now >= until_;
  if (!on_probation && (quarantined_ || static_cast<int>(recent_.size()) < failures_)) {
    return false;
  }
  quarantined_ = true;
  until_ = now + duration_;
  return true;
}

void Quarantine::RecordSuccess() {
  absl::MutexLock lock(&mu_);
  if (!quarantined_ && recent_.empty()) return;
  quarantined_ = false;
  recent_.clear();
}

bool Quarantine::Refuses(absl::Time now, absl::Time* until) const {
  absl::MutexLock lock(&mu_);
  if (!quarantined_ || now >= until_) return false;
  *until = until_;
  return true;
}

}  // namespace escalation::runtime
