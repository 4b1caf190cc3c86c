#include "server/observability/decision_log.h"

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace escalation::observability {

absl::StatusOr<OverflowPolicy> ParseOverflowPolicy(absl::string_view name) {
  if (name == "drop") return OverflowPolicy::kDrop;
  if (name == "block") return OverflowPolicy::kBlock;
  return absl::InvalidArgumentError(
      absl::StrCat("overflow policy \"", name, "\" is not drop or block"));
}

absl::StatusOr<std::unique_ptr<DecisionLog>> DecisionLog::Open(DecisionLogOptions options) {
  if (options.queue_capacity == 0) {
    return absl::InvalidArgumentError("decision log queue capacity must be at least 1");
  }
  std::FILE* out = stdout;
  const bool owns_out = options.path != "-";
  if (owns_out) {
    out = std::fopen(options.path.c_str(), "a");
    if (out == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision log ", options.path, ": ", std::strerror(errno)));
    }
  }
  return std::unique_ptr<DecisionLog>(new DecisionLog(std::move(options), out, owns_out));
}

DecisionLog::DecisionLog(DecisionLogOptions options, std::FILE* out, bool owns_out)
    : options_(std::move(options)), out_(out), owns_out_(owns_out) {
  writer_ = std::thread([this] { WriterLoop(); });
}

DecisionLog::~DecisionLog() { Close(); }

bool DecisionLog::Submit(DecisionRecord record) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (options_.overflow == OverflowPolicy::kBlock) {
    not_full_.wait(lock, [&] { return closing_ || queue_.size() < options_.queue_capacity; });
  }
  if (closing_ || queue_.size() >= options_.queue_capacity) {
    dropped_.fetch_add(1);
    return false;
  }
  queue_.push_back(std::move(record));
  lock.unlock();
  not_empty_.notify_one();
  return true;
}

void DecisionLog::WriterLoop() {
  std::vector<DecisionRecord> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      not_empty_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Closing, and everything is written.
      // Records stay counted in the queue depth until they are written, so a
      // full queue stays full while the writer is stuck on a slow file.
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.end()));
    }
    std::string text;
    for (DecisionRecord& record : batch) {
      text += FormatDecisionLine(record, options_.masks);
      text += '\n';
    }
    if (std::fwrite(text.data(), 1, text.size(), out_) != text.size() ||
        std::fflush(out_) != 0) {
      write_errors_.fetch_add(1);
    }
    written_.fetch_add(batch.size());
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(batch.size()));
    }
    batch.clear();
    not_full_.notify_all();
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
  if (writer_.joinable()) writer_.join();
  if (owns_out_) {
    std::fclose(out_);
  } else {
    std::fflush(out_);
  }
}

size_t DecisionLog::queue_depth() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

}  // namespace escalation::observability
