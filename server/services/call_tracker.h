// Counts the calls a server has accepted and not yet answered, so a drain
// can wait for exactly those and say how many it had to give up on.
#ifndef ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_
#define ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace escalation::services {

class CallTracker {
 public:
  void Begin() {
    absl::MutexLock lock(&mu_);
    ++in_flight_;
  }
  void End() {
    absl::MutexLock lock(&mu_);
    --in_flight_;
  }
  // Waits until no call is in flight or `deadline` passes; returns how many
  // calls are still in flight.
  int WaitIdle(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithDeadline(
        absl::Condition(+[](int* n) { return *n == 0; }, &in_flight_), deadline);
    return in_flight_;
  }

 private:
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace escalation::services

#endif  // ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_
