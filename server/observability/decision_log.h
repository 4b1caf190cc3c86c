// The decision log: every Route and ValidateTask decision as one JSON line
// (decision_record.h) in a file or on stdout. Request threads only enqueue a
// record; one writer thread masks, formats and writes. A line counts as
// written only when write(2) said it was; a failed or short write is
// counted, logged (throttled, with errno) and retried.
//
// The overflow policy says what a caller gets when its line cannot be stored
// at once: under kDrop it is answered anyway and every line not stored is
// counted by reason (a slow or full disk never slows decisions); under kBlock
// it is told only once its line was written, or UNAVAILABLE naming the
// decision log when that did not happen by its deadline (no decision is
// answered without its line). Close() writes every record accepted before it
// returns, or counts what it could not write.
#ifndef ESCALATION_SERVER_OBSERVABILITY_DECISION_LOG_H_
#define ESCALATION_SERVER_OBSERVABILITY_DECISION_LOG_H_

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/observability/decision_record.h"
#include "server/observability/field_masks.h"
#include "server/logging/log_throttle.h"
#include "server/logging/logger.h"

namespace escalation::observability {

enum class OverflowPolicy { kDrop, kBlock };

// "drop" or "block"; anything else is INVALID_ARGUMENT.
absl::StatusOr<OverflowPolicy> ParseOverflowPolicy(absl::string_view name);

// Why a decision's line was not stored.
enum class LineLoss {
  kQueueFull = 0,   // kDrop: the queue was full.
  kWriteError = 1,  // Writing failed on every attempt (kDrop, or at Close).
  kDeadline = 2,    // kBlock: not written by the call's deadline.
  kClosed = 3,      // Submitted after Close.
};
inline constexpr int kLineLossCount = 4;
// "queue_full", "write_error", "deadline", "closed".
absl::string_view LineLossName(LineLoss loss);

struct DecisionLogOptions {
  // A file (appended to) or "-" for stdout.
  std::string path;
  size_t queue_capacity = 8192;
  OverflowPolicy overflow = OverflowPolicy::kDrop;
  FieldMasks masks;
  // Under kBlock, the longest a caller waits for its line when its deadline
  // is later or it has none.
  absl::Duration max_block = absl::Seconds(30);
  // Under kDrop and at Close, how often a failed write is tried before its
  // lines are counted lost.
  int write_attempts = 3;
  // Pause after a failed write; doubles up to `max_retry_pause`.
  absl::Duration retry_pause = absl::Milliseconds(10);
  absl::Duration max_retry_pause = absl::Milliseconds(500);
  // Where write errors are reported (throttled); not owned.
  Logger* logger = &Logger::Default();
};

class DecisionLog {
 public:
  // Told once whether a record's line was stored: OK, or UNAVAILABLE naming
  // the decision log.
  using StoredCallback = std::function<void(const absl::Status&)>;

  // Opens the file (INVALID_ARGUMENT naming it when it cannot be opened) and
  // starts the writer thread.
  static absl::StatusOr<std::unique_ptr<DecisionLog>> Open(DecisionLogOptions options);
  ~DecisionLog();  // Close()s.
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  // Enqueues the line of a call due by `deadline`. Under kDrop `stored` is
  // called at once with OK (the caller does not wait; a loss is counted).
  // Under kBlock it is called, on the writer thread or this one, when the
  // line is written or when it cannot be by the deadline; a full queue makes
  // this call wait for room until then. `stored` may be null.
  void Submit(DecisionRecord record, absl::Time deadline, StoredCallback stored);
  // Submit with no deadline (kBlock: up to max_block) and nobody told; false
  // when the record was not accepted.
  bool Submit(DecisionRecord record);

  // Writes everything accepted (or counts what cannot be written), then stops
  // the writer. Records submitted from then on are lost (kClosed). Idempotent.
  void Close();

  const std::string& path() const { return options_.path; }
  // Whether callers wait for their line (kBlock).
  bool answers_wait() const { return options_.overflow == OverflowPolicy::kBlock; }
  size_t queue_depth() const;
  // Lines not stored, whatever the reason.
  uint64_t dropped() const;
  uint64_t lost(LineLoss loss) const { return lost_[static_cast<int>(loss)].load(); }
  uint64_t written() const { return written_.load(); }
  // write(2) calls that failed or wrote less than asked and then failed.
  uint64_t write_errors() const { return write_errors_.load(); }

 private:
  struct Pending {
    DecisionRecord record;
    absl::Time deadline;
    StoredCallback stored;
    std::string line;  // Formatted on the writer thread, newline included.
  };

  DecisionLog(DecisionLogOptions options, int fd);
  bool Enqueue(Pending pending);
  void WriterLoop();
  // Writes `batch` (retrying as the policy says); every entry ends stored or lost.
  void WriteBatch(std::vector<Pending>& batch);
  // One write(2) of what is left of `batch` from `next` (`partial` bytes of
  // its line already out); advances them. The errno, or 0.
  int WriteOnce(std::vector<Pending>& batch, size_t& next, size_t& partial);
  // Takes a line fragment a failed write left back out of the file.
  bool RemoveFragment(size_t bytes);
  void ReportWriteError(int error, size_t lines_waiting);
  // Under kBlock: loses the waiting lines whose deadline has passed.
  void ExpireOverdue(std::vector<Pending>& batch, size_t keep_before);
  void Stored(Pending& pending);
  void Lose(Pending& pending, LineLoss loss);
  absl::Status Unavailable(LineLoss loss) const;

  const DecisionLogOptions options_;
  const int fd_;
  const bool owns_fd_;

  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::condition_variable retry_;  // Close() cuts a retry pause short.
  std::deque<Pending> queue_;
  size_t in_flight_ = 0;  // Taken by the writer, not yet stored or lost.
  bool closing_ = false;
  std::thread writer_;

  bool fragment_open_ = false;  // Writer thread only: a cut line ends the file.
  std::atomic<int> last_errno_{0};
  SharedLogThrottle error_throttle_{"decision_log_write_failed", 1};

  std::array<std::atomic<uint64_t>, kLineLossCount> lost_{};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> write_errors_{0};
};

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_DECISION_LOG_H_
