// The decision log: every Route and ValidateTask decision as one JSON line
// (decision_record.h) in a file or on stdout. Request threads only enqueue a
// record; one writer thread masks, formats and writes. When the bounded queue
// is full the overflow policy decides: drop the record and count it (the
// default: a slow disk never slows decisions), or block the caller until
// there is room (nothing is ever dropped). Close() writes every record
// accepted before it returns.
#ifndef ESCALATION_SERVER_OBSERVABILITY_DECISION_LOG_H_
#define ESCALATION_SERVER_OBSERVABILITY_DECISION_LOG_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "server/observability/decision_record.h"
#include "server/observability/field_masks.h"

namespace escalation::observability {

enum class OverflowPolicy { kDrop, kBlock };

// "drop" or "block"; anything else is INVALID_ARGUMENT.
absl::StatusOr<OverflowPolicy> ParseOverflowPolicy(absl::string_view name);

struct DecisionLogOptions {
  // A file (appended to) or "-" for stdout.
  std::string path;
  size_t queue_capacity = 8192;
  OverflowPolicy overflow = OverflowPolicy::kDrop;
  FieldMasks masks;
};

class DecisionLog {
 public:
  // Opens the file (INVALID_ARGUMENT naming it when it cannot be opened) and
  // starts the writer thread.
  static absl::StatusOr<std::unique_ptr<DecisionLog>> Open(DecisionLogOptions options);
  ~DecisionLog();  // Close()s.
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  // Enqueues `record`. False when it was dropped: the queue was full under
  // kDrop, or the log is closed.
  bool Submit(DecisionRecord record);

  // Writes and flushes everything accepted, then stops the writer. Submit
  // refuses records from then on. Idempotent.
  void Close();

  size_t queue_depth() const;
  uint64_t dropped() const { return dropped_.load(); }
  uint64_t written() const { return written_.load(); }
  uint64_t write_errors() const { return write_errors_.load(); }

 private:
  DecisionLog(DecisionLogOptions options, std::FILE* out, bool owns_out);
  void WriterLoop();

  const DecisionLogOptions options_;
  std::FILE* const out_;
  const bool owns_out_;

  mutable std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<DecisionRecord> queue_;
  bool closing_ = false;
  std::thread writer_;

  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> write_errors_{0};
};

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_DECISION_LOG_H_
