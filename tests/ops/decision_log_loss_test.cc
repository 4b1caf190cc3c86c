// The decision log on a filesystem that is really full (/dev/full, a small
// tmpfs): a line counts as written only when the file took it, every other
// line is counted lost by reason, write errors are counted and logged, and
// under kBlock no caller is told OK for a line that was not stored.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "escalation/v1/service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "server/observability/decision_log.h"
#include "tests/support/small_filesystem.h"

namespace escalation::observability {
namespace {

using ::testing::HasSubstr;

DecisionRecord Record(int i) {
  auto request = std::make_unique<v1::RouteRequest>();
  request->mutable_call()->set_call_id("call-" + std::to_string(i) + std::string(400, 'x'));
  DecisionRecord record;
  record.decision_id = std::to_string(i);
  record.method = "Route";
  record.request = std::move(request);
  return record;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// Every line of `text` is whole JSON (no fragment of a cut line); their count.
size_t CountWholeLines(const std::string& text) {
  size_t lines = 0;
  for (const std::string& line :
       std::vector<std::string>(absl::StrSplit(text, '\n', absl::SkipEmpty()))) {
    google::protobuf::Struct parsed;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
    ++lines;
  }
  if (!text.empty()) {
    EXPECT_EQ(text.back(), '\n');
  }
  return lines;
}

// A log whose error lines land in a file the test reads.
struct CapturedLogger {
  CapturedLogger() : file(std::tmpfile()), logger(file) {}
  ~CapturedLogger() { std::fclose(file); }
  std::string Text() {
    std::fflush(file);
    std::rewind(file);
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) out.append(buffer, n);
    return out;
  }
  std::FILE* file;
  Logger logger;
};

// What the callers were told.
struct Answers {
  std::atomic<int> ok{0};
  std::atomic<int> unavailable{0};
  absl::Mutex mu;
  std::string last_error;
  DecisionLog::StoredCallback Callback() {
    return [this](const absl::Status& status) {
      if (status.ok()) {
        ok.fetch_add(1);
        return;
      }
      EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
      unavailable.fetch_add(1);
      absl::MutexLock lock(&mu);
      last_error = std::string(status.message());
    };
  }
};

TEST(DecisionLogLossTest, OnDevFullNothingCountsAsWrittenAndEveryLossIsCounted) {
  CapturedLogger log_lines;
  DecisionLogOptions options;
  options.path = "/dev/full";
  options.logger = &log_lines.logger;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  constexpr int kRecords = 50;
  for (int i = 0; i < kRecords; ++i) (*log)->Submit(Record(i));
  (*log)->Close();
  EXPECT_EQ((*log)->written(), 0u);
  EXPECT_GT((*log)->write_errors(), 0u);
  EXPECT_EQ((*log)->dropped(), static_cast<uint64_t>(kRecords));
  EXPECT_EQ((*log)->lost(LineLoss::kWriteError), static_cast<uint64_t>(kRecords));
  const std::string errors = log_lines.Text();
  EXPECT_THAT(errors, HasSubstr("\"event\":\"decision_log_write_failed\""));
  EXPECT_THAT(errors, HasSubstr("\"errno\":28"));
  EXPECT_THAT(errors, HasSubstr("No space left on device"));
}

TEST(DecisionLogLossTest, BlockModeOnDevFullAnswersUnavailableNamingTheLogAtTheDeadline) {
  CapturedLogger log_lines;
  DecisionLogOptions options;
  options.path = "/dev/full";
  options.overflow = OverflowPolicy::kBlock;
  options.logger = &log_lines.logger;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  Answers answers;
  constexpr int kCalls = 5;
  for (int i = 0; i < kCalls; ++i) {
    (*log)->Submit(Record(i), absl::Now() + absl::Milliseconds(300), answers.Callback());
  }
  EXPECT_EQ(answers.ok.load() + answers.unavailable.load(), 0) << "told before the deadline";
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (answers.unavailable.load() < kCalls && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(answers.unavailable.load(), kCalls);
  EXPECT_EQ(answers.ok.load(), 0);
  {
    absl::MutexLock lock(&answers.mu);
    EXPECT_THAT(answers.last_error, HasSubstr("decision log /dev/full"));
    EXPECT_THAT(answers.last_error, HasSubstr("No space left on device"));
  }
  EXPECT_EQ((*log)->lost(LineLoss::kDeadline), static_cast<uint64_t>(kCalls));
  EXPECT_EQ((*log)->written(), 0u);
  (*log)->Close();
}

TEST(DecisionLogLossTest, DropModeOnAFullTmpfsCountsExactlyTheLinesTheFileHolds) {
  test::SmallFilesystem fs("64k");
  MOUNT_OR_SKIP(fs);
  CapturedLogger log_lines;
  DecisionLogOptions options;
  options.path = fs.Path("decisions.jsonl");
  options.logger = &log_lines.logger;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  Answers answers;
  constexpr int kRecords = 1000;  // About 500 KB of lines for 64 KiB.
  for (int i = 0; i < kRecords; ++i) {
    (*log)->Submit(Record(i), absl::InfiniteFuture(), answers.Callback());
  }
  EXPECT_EQ(answers.ok.load(), kRecords) << "drop mode answers every call at once";
  (*log)->Close();
  const size_t stored = CountWholeLines(ReadAll(fs.Path("decisions.jsonl")));
  EXPECT_GT(stored, 0u);
  EXPECT_LT(stored, static_cast<size_t>(kRecords));
  EXPECT_EQ((*log)->written(), stored);
  EXPECT_EQ((*log)->written() + (*log)->dropped(), static_cast<uint64_t>(kRecords));
  EXPECT_GT((*log)->write_errors(), 0u);
  EXPECT_THAT(log_lines.Text(), HasSubstr("No space left on device"));
}

TEST(DecisionLogLossTest, BlockModeOnAFullTmpfsNeverSaysOkForALineNotStored) {
  test::SmallFilesystem fs("64k");
  MOUNT_OR_SKIP(fs);
  CapturedLogger log_lines;
  DecisionLogOptions options;
  options.path = fs.Path("decisions.jsonl");
  options.overflow = OverflowPolicy::kBlock;
  options.logger = &log_lines.logger;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  Answers answers;
  constexpr int kRecords = 1000;
  for (int i = 0; i < kRecords; ++i) {
    (*log)->Submit(Record(i), absl::Now() + absl::Seconds(1), answers.Callback());
  }
  const absl::Time give_up = absl::Now() + absl::Seconds(30);
  while (answers.ok.load() + answers.unavailable.load() < kRecords && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_EQ(answers.ok.load() + answers.unavailable.load(), kRecords);
  (*log)->Close();
  const size_t stored = CountWholeLines(ReadAll(fs.Path("decisions.jsonl")));
  EXPECT_EQ(static_cast<size_t>(answers.ok.load()), stored);
  EXPECT_EQ((*log)->written(), stored);
  EXPECT_GT(answers.unavailable.load(), 0);
  EXPECT_EQ((*log)->lost(LineLoss::kDeadline), static_cast<uint64_t>(answers.unavailable.load()));
}

TEST(DecisionLogLossTest, BlockModeRetriesAndStoresTheLineOnceThereIsRoomAgain) {
  test::SmallFilesystem fs("64k");
  MOUNT_OR_SKIP(fs);
  const std::string filler = fs.Path("filler");
  {
    std::ofstream out(filler, std::ios::binary);
    const std::string block(4096, 'f');
    for (int i = 0; i < 64 && out.write(block.data(), block.size()); ++i) {
    }
  }
  CapturedLogger log_lines;
  DecisionLogOptions options;
  options.path = fs.Path("decisions.jsonl");
  options.overflow = OverflowPolicy::kBlock;
  options.logger = &log_lines.logger;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  Answers answers;
  (*log)->Submit(Record(1), absl::Now() + absl::Seconds(30), answers.Callback());
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(answers.ok.load(), 0) << "told OK while the filesystem was full";
  EXPECT_GT((*log)->write_errors(), 0u);
  std::remove(filler.c_str());
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (answers.ok.load() == 0 && absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(answers.ok.load(), 1);
  EXPECT_EQ(answers.unavailable.load(), 0);
  (*log)->Close();
  EXPECT_EQ(CountWholeLines(ReadAll(fs.Path("decisions.jsonl"))), 1u);
  EXPECT_EQ((*log)->written(), 1u);
  EXPECT_EQ((*log)->dropped(), 0u);
}

}  // namespace
}  // namespace escalation::observability
