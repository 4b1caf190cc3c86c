#include "server/services/call_tracker.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"

namespace escalation::services {

grpc::Status ShuttingDownStatus() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the server is shutting down; the call was not evaluated and may be "
                      "retried on another replica");
}

std::optional<uint64_t> CallTracker::Begin(grpc::ServerUnaryReactor* reactor) {
  {
    absl::MutexLock lock(&mu_);
    switch (phase_) {
      case Phase::kHolding:
        // It reached a handler before the GOAWAY: evaluated like any other,
        // its answer held with the rest until the GOAWAY is out.
        last_arrival_ = absl::Now();
        [[fallthrough]];
      case Phase::kServing:
        open_.emplace(next_id_, reactor);
        return next_id_++;
      case Phase::kRefusing:
        ++drained_.refused;
        break;
    }
  }
  reactor->Finish(ShuttingDownStatus());
  return std::nullopt;
}

bool CallTracker::Claim(uint64_t id, bool* during_drain) {
  absl::MutexLock lock(&mu_);
  if (open_.erase(id) != 1) return false;
  const bool draining = phase_ != Phase::kServing;
  if (draining) ++drained_.answered;
  if (during_drain != nullptr) *during_drain = draining;
  return true;
}

void CallTracker::Finish(grpc::ServerUnaryReactor* reactor, const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (phase_ == Phase::kHolding) {
      held_answers_.emplace_back(reactor, status);
      return;
    }
  }
  reactor->Finish(status);
}

void CallTracker::StartDrain() {
  absl::MutexLock lock(&mu_);
  if (phase_ == Phase::kServing) phase_ = Phase::kHolding;
  last_arrival_ = absl::Now();
}

void CallTracker::WaitQuiet(absl::Duration quiet, absl::Time deadline) {
  for (;;) {
    absl::Time quiet_at;
    {
      absl::MutexLock lock(&mu_);
      quiet_at = last_arrival_ + quiet;
    }
    const absl::Time now = absl::Now();
    if (now >= quiet_at || now >= deadline) return;
    absl::SleepFor(std::min(quiet_at, deadline) - now);
  }
}

void CallTracker::ReleaseHeld() {
  std::vector<std::pair<grpc::ServerUnaryReactor*, grpc::Status>> answers;
  {
    absl::MutexLock lock(&mu_);
    phase_ = Phase::kRefusing;
    answers.swap(held_answers_);
  }
  for (auto& [reactor, status] : answers) reactor->Finish(status);
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

CallTracker::DrainCounts CallTracker::drain_counts() const {
  absl::MutexLock lock(&mu_);
  return drained_;
}

}  // namespace escalation::services
