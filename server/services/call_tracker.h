// The calls a server has accepted and not yet answered, so a drain can wait
// for exactly those, and at its deadline answer what is left itself instead
// of waiting on plugins that will not answer in time.
#ifndef ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_
#define ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_

#include <cstdint>
#include "absl/container/flat_hash_map.h"

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_callback.h"

namespace escalation::services {

class CallTracker {
 public:
  // Records an accepted call; returns its id.
  uint64_t Begin(grpc::ServerUnaryReactor* reactor);
  // Takes the call back for answering; false if it was already answered by
  // AbandonAll (then the caller must not touch it).
  bool Claim(uint64_t id);
  // Waits until no call is open or `deadline` passes; returns how many are open.
  int WaitIdle(absl::Time deadline);
  // Finishes every open call with `status`; returns how many there were.
  int AbandonAll(const grpc::Status& status);

 private:
  absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  // A hash map: one insert and one erase per call, no node allocated for each.
  absl::flat_hash_map<uint64_t, grpc::ServerUnaryReactor*> open_ ABSL_GUARDED_BY(mu_);
};

}  // namespace escalation::services

#endif  // ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_
