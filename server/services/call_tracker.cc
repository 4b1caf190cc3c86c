#include "server/services/call_tracker.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
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

void CallTracker::Finish(const grpc::CallbackServerContext& context,
                         grpc::ServerUnaryReactor* reactor, const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (phase_ == Phase::kHolding) {
      held_answers_.push_back({reactor, status, context.peer()});
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

void CallTracker::ReleaseHeld(absl::Duration last_answer_delay) {
  std::vector<HeldAnswer> answers;
  {
    absl::MutexLock lock(&mu_);
    phase_ = Phase::kRefusing;
    answers.swap(held_answers_);
  }
  // Walking backwards, the first answer seen on a connection is its last.
  std::vector<bool> is_last(answers.size());
  absl::flat_hash_set<absl::string_view> connections;
  for (size_t i = answers.size(); i-- > 0;) {
    is_last[i] = connections.insert(answers[i].connection).second;
  }
  for (size_t i = 0; i < answers.size(); ++i) {
    if (!is_last[i]) answers[i].reactor->Finish(answers[i].status);
  }
  if (connections.size() < answers.size()) absl::SleepFor(last_answer_delay);
  for (size_t i = 0; i < answers.size(); ++i) {
    if (is_last[i]) answers[i].reactor->Finish(answers[i].status);
  }
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
