#include "server/wire/utf8.h"

#include <random>
#include <string>

#include "google/protobuf/stubs/common.h"
#include "gtest/gtest.h"

namespace escalation::host {
namespace {

bool ProtobufSays(const std::string& s) {
  return google::protobuf::internal::IsStructurallyValidUTF8(s.data(),
                                                             static_cast<int>(s.size()));
}

TEST(IsProtobufUtf8Test, AsciiOfEveryLengthIsValid) {
  std::string s;
  for (int n = 0; n < 100; ++n) {
    EXPECT_TRUE(IsProtobufUtf8(s)) << n;
    s.push_back(static_cast<char>(n % 128));  // NUL and controls included
  }
}

// A byte that is not ASCII, at every position around the 8- and 32-byte
// steps, decides the answer as protobuf decides it.
TEST(IsProtobufUtf8Test, ANonAsciiByteAnywhereIsJudgedAsProtobufJudgesIt) {
  const std::string kInserts[] = {
      "\xC3\xA9",          // é: valid
      "\xE2\x80\x94",      // em dash: valid
      "\xF0\x9F\x93\x9E",  // telephone receiver: valid
      "\xC3",              // truncated
      "\x80",              // lone continuation byte
      "\xED\xA0\x80",      // UTF-16 surrogate
      "\xC0\xAF",          // overlong
      "\xFF",
  };
  for (const std::string& insert : kInserts) {
    for (size_t before = 0; before < 80; ++before) {
      for (size_t after : {0, 1, 7, 8, 9, 31, 32, 33, 70}) {
        const std::string s = std::string(before, 'a') + insert + std::string(after, 'z');
        EXPECT_EQ(IsProtobufUtf8(s), ProtobufSays(s))
            << "insert of " << insert.size() << " bytes after " << before;
      }
    }
  }
}

TEST(IsProtobufUtf8Test, RandomBytesAreJudgedAsProtobufJudgesThem) {
  std::mt19937 random(11);
  int valid = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s(random() % 100, 'x');
    // Mostly ASCII with a few high bytes, so that both answers come up.
    for (char& c : s) {
      const unsigned r = random() % 100;
      c = static_cast<char>(r < 98 ? random() % 128 : 0x80 + random() % 128);
    }
    const bool expected = ProtobufSays(s);
    valid += expected;
    ASSERT_EQ(IsProtobufUtf8(s), expected) << i;
  }
  EXPECT_GT(valid, 1000);
  EXPECT_LT(valid, 199000);
}

}  // namespace
}  // namespace escalation::host
