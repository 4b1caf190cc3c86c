// Protobuf's own log lines go through the server's throttled handler.
#include "server/app/protobuf_log.h"

#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"

namespace escalation::app {
namespace {

using ::testing::HasSubstr;

int CountOf(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(LogThrottle, AdmitsNLinesASecondThenCountsTheRest) {
  LogThrottle throttle(3);
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  for (int i = 0; i < 3; ++i) {
    const LogThrottle::Verdict v = throttle.Admit(t0 + absl::Milliseconds(i));
    EXPECT_TRUE(v.write);
    EXPECT_FALSE(v.suppressed_before.has_value());
  }
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(throttle.Admit(t0 + absl::Milliseconds(500)).write);
  const LogThrottle::Verdict next = throttle.Admit(t0 + absl::Seconds(1));
  EXPECT_TRUE(next.write);
  EXPECT_EQ(next.suppressed_before, 5);
  EXPECT_FALSE(throttle.Admit(t0 + absl::Milliseconds(1001)).suppressed_before.has_value());
}

// A google.protobuf.Value whose string_value (field 3) is not UTF-8.
std::string ValueWithInvalidUtf8() { return std::string("\x1a\x02\xff\xfe", 4); }

TEST(ProtobufLogHandler, ThrottlesProtobufsInvalidUtf8Lines) {
  InstallProtobufLogHandler(4);
  ::testing::internal::CaptureStderr();
  google::protobuf::Value value;
  for (int i = 0; i < 200; ++i) EXPECT_FALSE(value.ParseFromString(ValueWithInvalidUtf8()));
  const std::string flood = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(CountOf(flood, "invalid UTF-8"), 4) << flood;
  EXPECT_THAT(flood, HasSubstr(R"("event":"protobuf_log","msg":"protobuf ERROR )"));

  absl::SleepFor(absl::Milliseconds(1100));  // The next one-second window.
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(value.ParseFromString(ValueWithInvalidUtf8()));
  const std::string after = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(after, HasSubstr(R"("msg":"protobuf: 196 more log lines suppressed")"));
  EXPECT_EQ(CountOf(after, "invalid UTF-8"), 1) << after;
}

}  // namespace
}  // namespace escalation::app
