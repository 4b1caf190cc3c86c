#include "server/runtime/pending_call.h"

#include <queue>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace escalation::runtime {

std::string DidNotAnswer(absl::string_view plugin, PluginMethod method, absl::Duration timeout,
                         bool by_plugin_timeout) {
  return absl::StrCat("plugin ", plugin, " did not answer ", host::MethodName(method),
                      by_plugin_timeout
                          ? absl::StrCat(" within its timeout of ", absl::FormatDuration(timeout))
                          : std::string(" before the call's deadline"));
}

bool PendingCall::Complete(absl::StatusOr<absl::string_view> answer,
                           std::atomic<int64_t>* count) {
  PluginReply reply;
  {
    absl::MutexLock lock(&mu_);
    if (done_.load(std::memory_order_relaxed)) return false;
    done_.store(true, std::memory_order_release);
    reply = std::move(reply_);
  }
  if (count != nullptr) count->fetch_add(1, std::memory_order_relaxed);
  std::move(reply)(answer);
  return true;
}

bool PendingCall::Expire() {
  const bool queued = !started();
  return Complete(absl::DeadlineExceededError(queued ? expiry_->queued : expiry_->running),
                  queued ? expiry_->queued_count : nullptr);
}

struct DeadlineTimer::Entry {
  absl::Time at;
  std::weak_ptr<PendingCall> call;
  bool operator>(const Entry& other) const { return at > other.at; }
};

class DeadlineTimer::Impl {
 public:
  Impl() { std::thread([this] { Run(); }).detach(); }

  void Add(Entry entry) {
    absl::MutexLock lock(&mu_);
    const bool sooner = entries_.empty() || entry.at < entries_.top().at;
    entries_.push(std::move(entry));
    if (sooner) wake_.Signal();
  }

 private:
  void Run() {
    absl::MutexLock lock(&mu_);
    for (;;) {
      if (entries_.empty()) {
        wake_.Wait(&mu_);
        continue;
      }
      std::shared_ptr<PendingCall> call = entries_.top().call.lock();
      if (call == nullptr || call->done()) {
        entries_.pop();  // Answered: dropped now, not at its deadline.
        continue;
      }
      const absl::Time next = entries_.top().at;
      if (absl::Now() < next) {
        call.reset();
        wake_.WaitWithDeadline(&mu_, next);
        continue;
      }
      entries_.pop();
      mu_.Unlock();
      call->Expire();
      call.reset();
      mu_.Lock();
    }
  }

  absl::Mutex mu_;
  absl::CondVar wake_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> entries_
      ABSL_GUARDED_BY(mu_);
};

DeadlineTimer::DeadlineTimer() : impl_(new Impl()) {}

DeadlineTimer& DeadlineTimer::Get() {
  static DeadlineTimer* timer = new DeadlineTimer();
  return *timer;
}

void DeadlineTimer::Watch(const std::shared_ptr<PendingCall>& call) {
  if (call->deadline() == absl::InfiniteFuture()) return;
  impl_->Add(Entry{call->deadline(), call});
}

}  // namespace escalation::runtime
