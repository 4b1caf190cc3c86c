#include "server/services/call_tracker.h"

#include <vector>

namespace escalation::services {

uint64_t CallTracker::Begin(grpc::ServerUnaryReactor* reactor) {
  absl::MutexLock lock(&mu_);
  open_.emplace(next_id_, reactor);
  return next_id_++;
}

bool CallTracker::Claim(uint64_t id) {
  absl::MutexLock lock(&mu_);
  return open_.erase(id) == 1;
}

int CallTracker::WaitIdle(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithDeadline(
      absl::Condition(
          +[](absl::flat_hash_map<uint64_t, grpc::ServerUnaryReactor*>* open) { return open->empty(); },
          &open_),
      deadline);
  return static_cast<int>(open_.size());
}

int CallTracker::AbandonAll(const grpc::Status& status) {
  absl::flat_hash_map<uint64_t, grpc::ServerUnaryReactor*> open;
  {
    absl::MutexLock lock(&mu_);
    open.swap(open_);
  }
  for (const auto& [id, reactor] : open) reactor->Finish(status);
  return static_cast<int>(open.size());
}

}  // namespace escalation::services
