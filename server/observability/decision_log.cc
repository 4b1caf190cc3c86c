#include "server/observability/decision_log.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace escalation::observability {

absl::StatusOr<OverflowPolicy> ParseOverflowPolicy(absl::string_view name) {
  if (name == "drop") return OverflowPolicy::kDrop;
  if (name == "block") return OverflowPolicy::kBlock;
  return absl::InvalidArgumentError(
      absl::StrCat("overflow policy \"", name, "\" is not drop or block"));
}

absl::string_view LineLossName(LineLoss loss) {
  switch (loss) {
    case LineLoss::kQueueFull: return "queue_full";
    case LineLoss::kWriteError: return "write_error";
    case LineLoss::kDeadline: return "deadline";
    case LineLoss::kClosed: return "closed";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<DecisionLog>> DecisionLog::Open(DecisionLogOptions options) {
  if (options.queue_capacity == 0) {
    return absl::InvalidArgumentError("decision log queue capacity must be at least 1");
  }
  if (options.write_attempts < 1) {
    return absl::InvalidArgumentError("decision log write attempts must be at least 1");
  }
  int fd = STDOUT_FILENO;
  if (options.path != "-") {
    fd = open(options.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision log ", options.path, ": ", std::strerror(errno)));
    }
  }
  return std::unique_ptr<DecisionLog>(new DecisionLog(std::move(options), fd));
}

DecisionLog::DecisionLog(DecisionLogOptions options, int fd)
    : options_(std::move(options)), fd_(fd), owns_fd_(fd != STDOUT_FILENO) {
  writer_ = std::thread([this] { WriterLoop(); });
}

DecisionLog::~DecisionLog() { Close(); }

void DecisionLog::Submit(DecisionRecord record, absl::Time deadline, StoredCallback stored) {
  if (options_.overflow == OverflowPolicy::kDrop) {
    Enqueue(Pending{std::move(record), deadline, nullptr, {}});
    if (stored) stored(absl::OkStatus());
    return;
  }
  deadline = std::min(deadline, absl::Now() + options_.max_block);
  Enqueue(Pending{std::move(record), deadline, std::move(stored), {}});
}

bool DecisionLog::Submit(DecisionRecord record) {
  return Enqueue(Pending{std::move(record), absl::Now() + options_.max_block, nullptr, {}});
}

bool DecisionLog::Enqueue(Pending pending) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto has_room = [&] { return queue_.size() + in_flight_ < options_.queue_capacity; };
  if (options_.overflow == OverflowPolicy::kBlock) {
    not_full_.wait_until(lock, absl::ToChronoTime(pending.deadline),
                         [&] { return closing_ || has_room(); });
  }
  if (closing_ || !has_room()) {
    const LineLoss loss = closing_ ? LineLoss::kClosed
                          : options_.overflow == OverflowPolicy::kDrop ? LineLoss::kQueueFull
                                                                       : LineLoss::kDeadline;
    lock.unlock();
    Lose(pending, loss);
    return false;
  }
  queue_.push_back(std::move(pending));
  lock.unlock();
  not_empty_.notify_one();
  return true;
}

void DecisionLog::WriterLoop() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      not_empty_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Closing, and everything is written.
      // Taken records stay counted in the queue depth until they are stored
      // or lost, so a full queue stays full while the writer is stuck.
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.end()));
      queue_.clear();
      in_flight_ = batch.size();
    }
    for (Pending& pending : batch) {
      pending.line = FormatDecisionLine(pending.record, options_.masks);
      pending.line += '\n';
    }
    WriteBatch(batch);
    batch.clear();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      in_flight_ = 0;
    }
    not_full_.notify_all();
  }
}

void DecisionLog::WriteBatch(std::vector<Pending>& batch) {
  size_t next = 0;     // The first entry not yet stored.
  size_t partial = 0;  // Bytes of its line already in the file.
  int failures = 0;    // Failed writes since the last that made progress.
  absl::Duration pause = options_.retry_pause;
  while (next < batch.size()) {
    int error = 0;
    if (fragment_open_) {
      // A line cut by an earlier failure could not be taken back out:
      // end it, so the next line starts on its own.
      const ssize_t n = write(fd_, "\n", 1);
      if (n == 1) {
        fragment_open_ = false;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        error = n < 0 ? errno : EIO;
      }
    }
    if (error == 0) {
      const size_t before = next;
      const size_t before_partial = partial;
      error = WriteOnce(batch, next, partial);
      if (error == 0) continue;
      if (next != before || partial != before_partial) failures = 0;
    }
    write_errors_.fetch_add(1);
    last_errno_.store(error);
    if (partial > 0 && RemoveFragment(partial)) partial = 0;
    ReportWriteError(error, batch.size() - next);
    ++failures;
    bool closing;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      closing = closing_;
      if (options_.overflow == OverflowPolicy::kDrop || closing) {
        if (failures >= options_.write_attempts) break;
      }
      absl::Time wake = absl::Now() + pause;
      if (options_.overflow == OverflowPolicy::kBlock) {
        for (size_t i = next; i < batch.size(); ++i) wake = std::min(wake, batch[i].deadline);
      }
      retry_.wait_until(lock, absl::ToChronoTime(wake));
    }
    pause = std::min(pause * 2, options_.max_retry_pause);
    if (options_.overflow == OverflowPolicy::kBlock) {
      ExpireOverdue(batch, partial > 0 ? next + 1 : next);
    }
  }
  if (next < batch.size()) {
    if (partial > 0) fragment_open_ = true;
    for (size_t i = next; i < batch.size(); ++i) Lose(batch[i], LineLoss::kWriteError);
  }
}

int DecisionLog::WriteOnce(std::vector<Pending>& batch, size_t& next, size_t& partial) {
  std::vector<iovec> iov;
  for (size_t i = next; i < batch.size() && iov.size() < IOV_MAX; ++i) {
    const size_t skip = i == next ? partial : 0;
    iov.push_back({batch[i].line.data() + skip, batch[i].line.size() - skip});
  }
  ssize_t n;
  do {
    n = writev(fd_, iov.data(), static_cast<int>(iov.size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno;
  if (n == 0) return EIO;  // Nothing written and no reason given.
  auto left = static_cast<size_t>(n);
  while (left > 0) {
    const size_t rest = batch[next].line.size() - partial;
    if (left < rest) {
      partial += left;
      break;
    }
    left -= rest;
    partial = 0;
    Stored(batch[next++]);
  }
  // A short write is retried at once: the next call says why it stopped.
  return 0;
}

bool DecisionLog::RemoveFragment(size_t bytes) {
  if (!owns_fd_) return false;  // Never cut a stream shared with others.
  const off_t end = lseek(fd_, 0, SEEK_END);
  if (end < 0 || static_cast<size_t>(end) < bytes) return false;
  return ftruncate(fd_, end - static_cast<off_t>(bytes)) == 0;
}

void DecisionLog::ReportWriteError(int error, size_t lines_waiting) {
  LogThrottled(*options_.logger, error_throttle_, LogLevel::kError, "decision log",
               "decision_log_write_failed",
               absl::StrCat("decision log ", options_.path, ": write failed: ",
                            std::strerror(error), "; retrying"),
               {StrField("path", options_.path), IntField("errno", error),
                StrField("error", std::strerror(error)),
                IntField("lines_waiting", static_cast<int64_t>(lines_waiting)),
                StrField("overflow", options_.overflow == OverflowPolicy::kBlock ? "block"
                                                                                 : "drop")});
}

void DecisionLog::ExpireOverdue(std::vector<Pending>& batch, size_t keep_before) {
  const absl::Time now = absl::Now();
  std::vector<Pending> overdue;
  auto is_overdue = [&](const Pending& p) { return p.deadline <= now; };
  auto split = std::stable_partition(batch.begin() + static_cast<long>(keep_before), batch.end(),
                                     [&](const Pending& p) { return !is_overdue(p); });
  std::move(split, batch.end(), std::back_inserter(overdue));
  batch.erase(split, batch.end());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto queued = std::stable_partition(queue_.begin(), queue_.end(),
                                        [&](const Pending& p) { return !is_overdue(p); });
    std::move(queued, queue_.end(), std::back_inserter(overdue));
    queue_.erase(queued, queue_.end());
    in_flight_ = batch.size();
  }
  if (overdue.empty()) return;
  not_full_.notify_all();
  for (Pending& pending : overdue) Lose(pending, LineLoss::kDeadline);
}

void DecisionLog::Stored(Pending& pending) {
  written_.fetch_add(1);
  if (pending.stored) std::exchange(pending.stored, nullptr)(absl::OkStatus());
}

void DecisionLog::Lose(Pending& pending, LineLoss loss) {
  lost_[static_cast<int>(loss)].fetch_add(1);
  if (pending.stored) std::exchange(pending.stored, nullptr)(Unavailable(loss));
}

absl::Status DecisionLog::Unavailable(LineLoss loss) const {
  const int error = last_errno_.load();
  const std::string why =
      error != 0 ? absl::StrCat(" (last write error: ", std::strerror(error), ")") : "";
  switch (loss) {
    case LineLoss::kClosed:
      return absl::UnavailableError(
          absl::StrCat("decision log ", options_.path, " is closed; the decision is not "
                       "answered without its line"));
    case LineLoss::kWriteError:
      return absl::UnavailableError(absl::StrCat(
          "decision log ", options_.path, ": the decision's line could not be written", why,
          "; the decision is not answered without it"));
    default:
      return absl::UnavailableError(absl::StrCat(
          "decision log ", options_.path, ": the decision's line could not be stored by the "
          "call's deadline", why, "; the decision is not answered without it"));
  }
}

void DecisionLog::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closing_ && !writer_.joinable()) return;
    closing_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  retry_.notify_all();
  if (writer_.joinable()) writer_.join();
  if (owns_fd_) close(fd_);
}

size_t DecisionLog::queue_depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size() + in_flight_;
}

uint64_t DecisionLog::dropped() const {
  uint64_t total = 0;
  for (const auto& count : lost_) total += count.load();
  return total;
}

}  // namespace escalation::observability
