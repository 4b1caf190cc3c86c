// The calls a server has accepted and not yet answered, so a drain can wait
// for exactly those, and at its deadline answer what is left itself instead
// of waiting on plugins that will not answer in time.
//
// A drain also decides what happens to calls that arrive once it has begun.
// Until every connection has been told to go away (GOAWAY), a call that
// reaches a handler is evaluated like any other; every answer is held back
// meanwhile, so a client that sends its next call on an answer sends it after
// the GOAWAY, to another connection, never into gRPC's shutdown (which would
// cancel it). A call that reaches a handler after that is refused with
// UNAVAILABLE before any plugin sees it, which a client may retry on another
// replica.
//
// The held answers go out connection by connection, the last answer of each
// connection on its own a little later: gRPC closes a connection the moment
// its last stream is answered after the GOAWAY, and a proxy still reading a
// burst of answers then acknowledges one into the closed socket; the reset
// that comes back makes it drop the answers it had not yet read.
#ifndef ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_
#define ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"

namespace escalation::services {

class CallTracker {
 public:
  // Records an accepted call and returns its id; or, once the held answers
  // have been released, refuses the call (see above) and returns nullopt.
  std::optional<uint64_t> Begin(grpc::ServerUnaryReactor* reactor);
  // Takes the call back for answering; false if it was already answered by
  // AbandonAll (then the caller must not touch it). `during_drain` (may be
  // null) says whether the drain had begun.
  bool Claim(uint64_t id, bool* during_drain = nullptr);
  // Finishes a claimed call with `status`, or while calls are held, once
  // they are released. `context` is the call's, for the connection it came on.
  void Finish(const grpc::CallbackServerContext& context, grpc::ServerUnaryReactor* reactor,
              const grpc::Status& status);

  // From now on Finish holds answers.
  void StartDrain();
  // Waits until no call has arrived for `quiet`, or until `deadline`.
  void WaitQuiet(absl::Duration quiet, absl::Time deadline);
  // Sends the held answers, and from now on refuses every new call at once:
  // all but the last of each connection at once, the last ones after
  // `last_answer_delay`, once the peer has read the others.
  void ReleaseHeld(absl::Duration last_answer_delay);

  // Waits until no call is open or `deadline` passes; returns how many are open.
  int WaitIdle(absl::Time deadline);
  // Finishes every open call with `status`; returns how many there were.
  int AbandonAll(const grpc::Status& status);

  struct DrainCounts {
    int64_t answered = 0;  // Accepted calls answered after the drain began.
    int64_t refused = 0;   // Calls refused UNAVAILABLE: they arrived after the GOAWAY.
  };
  DrainCounts drain_counts() const;

 private:
  enum class Phase { kServing, kHolding, kRefusing };

  mutable absl::Mutex mu_;
  Phase phase_ ABSL_GUARDED_BY(mu_) = Phase::kServing;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  // A hash map: one insert and one erase per call, no node allocated for each.
  absl::flat_hash_map<uint64_t, grpc::ServerUnaryReactor*> open_ ABSL_GUARDED_BY(mu_);
  struct HeldAnswer {
    grpc::ServerUnaryReactor* reactor;
    grpc::Status status;
    std::string connection;  // The peer address: one per connection.
  };
  std::vector<HeldAnswer> held_answers_ ABSL_GUARDED_BY(mu_);
  absl::Time last_arrival_ ABSL_GUARDED_BY(mu_);
  DrainCounts drained_ ABSL_GUARDED_BY(mu_);
};

// The status of a call refused because the server is draining.
grpc::Status ShuttingDownStatus();

}  // namespace escalation::services

#endif  // ESCALATION_SERVER_SERVICES_CALL_TRACKER_H_
