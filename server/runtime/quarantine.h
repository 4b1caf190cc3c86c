// Counts a plugin's hard failures (crashes, hangs, memory) and quarantines it
// after too many within a window: its calls then answer UNAVAILABLE until the
// quarantine has run out and a call has been answered again. Answered calls
// between failures do not reset the count: it is failures in the window.
#ifndef ESCALATION_SERVER_RUNTIME_QUARANTINE_H_
#define ESCALATION_SERVER_RUNTIME_QUARANTINE_H_

#include <atomic>
#include <deque>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace escalation::runtime {

class Quarantine {
 public:
  Quarantine(int failures, absl::Duration window, absl::Duration duration)
      : failures_(failures), window_(window), duration_(duration) {}

  // Records a hard failure at `now`; returns true if it starts a quarantine.
  bool RecordFailure(absl::Time now);
  // Records an answered call: ends a quarantine that has run out (probation
  // passed) and forgets the failures that led to it. Otherwise nothing.
  void RecordSuccess();
  // When a call at `now` must be refused, the end of the quarantine.
  bool Refuses(absl::Time now, absl::Time* until) const;

 private:
  const int failures_;
  const absl::Duration window_;
  const absl::Duration duration_;
  mutable absl::Mutex mu_;
  std::deque<absl::Time> recent_ ABSL_GUARDED_BY(mu_);
  // Set while quarantined or on probation (the time ran out, no call has
  // been answered since): one more failure then quarantines again at once.
  // Read without the lock by RecordSuccess, which almost always finds it unset.
  std::atomic<bool> quarantined_{false};
  absl::Time until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_QUARANTINE_H_
