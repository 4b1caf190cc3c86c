// The frames between the server and its plugin workers, over a real socket
// pair: what is written is what is read, however the bytes arrive, and every
// way a read can fail answers as worker_protocol.h says.
#include "server/runtime/worker_protocol.h"

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::runtime {
namespace {

using ::testing::HasSubstr;

class WorkerProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_), 0);
  }
  void TearDown() override {
    for (int fd : fds_) {
      if (fd >= 0) close(fd);
    }
  }
  int writer() const { return fds_[0]; }
  int reader_fd() const { return fds_[1]; }
  void CloseWriter() {
    close(fds_[0]);
    fds_[0] = -1;
  }
  // Raw bytes on the wire, for frames written in pieces or broken ones.
  void Send(const std::string& bytes) {
    ASSERT_EQ(send(writer(), bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  static std::string Header(uint32_t size, uint8_t type, uint8_t tag) {
    std::string h;
    for (int i = 0; i < 4; ++i) h.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
    h.push_back(static_cast<char>(type));
    h.push_back(static_cast<char>(tag));
    return h;
  }
  absl::Status Read(Frame* frame, absl::Duration wait = absl::Seconds(5),
                    size_t max_payload = size_t{64} << 20) {
    return reader_.Read(reader_fd(), absl::Now() + wait, max_payload, frame);
  }

  // 3 MiB of varied bytes: more than a socket pair's buffer and the reader's.
  static std::string LargerThanTheSocket() {
    std::string big(size_t{3} << 20, '\0');
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
    return big;
  }

  int fds_[2] = {-1, -1};
  FrameReader reader_;
};

TEST_F(WorkerProtocolTest, AFrameArrivesWithItsTypeTagAndPayload) {
  ASSERT_TRUE(WriteFrame(writer(), FrameType::kCall, "request bytes", 2).ok());
  ASSERT_TRUE(WriteFrame(writer(), FrameType::kAnswer, "", 7).ok());
  Frame frame;
  ASSERT_TRUE(Read(&frame).ok());
  EXPECT_EQ(frame.type, FrameType::kCall);
  EXPECT_EQ(frame.tag, 2);
  EXPECT_EQ(frame.payload, "request bytes");
  ASSERT_TRUE(Read(&frame).ok());
  EXPECT_EQ(frame.type, FrameType::kAnswer);
  EXPECT_EQ(frame.tag, 7);
  EXPECT_EQ(frame.payload, "");
}

TEST_F(WorkerProtocolTest, TheHeaderIsLengthTypeAndTag) {
  Send(Header(3, static_cast<uint8_t>(FrameType::kHello), 0) + "abc");
  Frame frame;
  ASSERT_TRUE(Read(&frame).ok());
  EXPECT_EQ(frame.type, FrameType::kHello);
  EXPECT_EQ(frame.payload, "abc");
}

TEST_F(WorkerProtocolTest, ManyFramesInOneReadAreHandedOutOneByOne) {
  std::string wire;
  for (int i = 0; i < 50; ++i) {
    const std::string payload(static_cast<size_t>(i) * 37, static_cast<char>('a' + i % 26));
    wire += Header(static_cast<uint32_t>(payload.size()), 6, static_cast<uint8_t>(i)) + payload;
  }
  std::thread sender([&] { Send(wire); });
  Frame frame;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(Read(&frame).ok()) << i;
    EXPECT_EQ(frame.tag, i);
    EXPECT_EQ(frame.payload,
              std::string(static_cast<size_t>(i) * 37, static_cast<char>('a' + i % 26)));
  }
  sender.join();
}

TEST_F(WorkerProtocolTest, AFrameSentInPiecesIsPutTogether) {
  const std::string wire = Header(5, 5, 1) + "hello" + Header(2, 6, 0) + "ok";
  std::thread sender([&] {
    for (char c : wire) {
      Send(std::string(1, c));
      absl::SleepFor(absl::Milliseconds(2));
    }
  });
  Frame frame;
  ASSERT_TRUE(Read(&frame).ok());
  EXPECT_EQ(frame.payload, "hello");
  ASSERT_TRUE(Read(&frame).ok());
  EXPECT_EQ(frame.payload, "ok");
  sender.join();
}

TEST_F(WorkerProtocolTest, AFrameLargerThanTheSocketAndTheBufferArrivesWhole) {
  const std::string big = LargerThanTheSocket();
  std::thread sender([&] {
    EXPECT_TRUE(WriteFrame(writer(), FrameType::kAnswer, big, 1).ok());
    EXPECT_TRUE(WriteFrame(writer(), FrameType::kAnswer, "after", 2).ok());
  });
  Frame frame;
  ASSERT_TRUE(Read(&frame).ok());
  EXPECT_EQ(frame.tag, 1);
  EXPECT_TRUE(frame.payload == big) << frame.payload.size();
  ASSERT_TRUE(Read(&frame).ok());
  EXPECT_EQ(frame.payload, "after");
  sender.join();
}

TEST_F(WorkerProtocolTest, FramesWrittenTogetherArriveInOrderWhateverTheirSizes) {
  const std::string big = LargerThanTheSocket();
  const OutFrame frames[] = {{FrameType::kCall, 1, "first"},
                             {FrameType::kCall, 2, big},  // Larger than the socket.
                             {FrameType::kCall, 3, ""},
                             {FrameType::kCall, 2, "last"}};
  size_t written = 0;
  std::thread sender([&] { EXPECT_TRUE(WriteFrames(writer(), frames, &written).ok()); });
  for (const OutFrame& want : frames) {
    Frame frame;
    ASSERT_TRUE(Read(&frame).ok());
    EXPECT_EQ(frame.type, FrameType::kCall);
    EXPECT_EQ(frame.tag, want.tag);
    EXPECT_TRUE(frame.payload == want.payload) << frame.payload.size();
  }
  sender.join();
  EXPECT_EQ(written, 4u);
}

TEST_F(WorkerProtocolTest, FramesWrittenToAPeerThatIsGoneSayHowManyWentOut) {
  close(fds_[1]);
  fds_[1] = -1;
  const OutFrame frames[] = {{FrameType::kCall, 1, "first"}, {FrameType::kCall, 1, "second"}};
  size_t written = 7;
  absl::Status write = WriteFrames(writer(), frames, &written);
  EXPECT_TRUE(absl::IsUnavailable(write)) << write;
  EXPECT_EQ(written, 0u);
}

TEST_F(WorkerProtocolTest, NothingByTheDeadlineIsDeadlineExceeded) {
  Frame frame;
  const absl::Time start = absl::Now();
  absl::Status read = Read(&frame, absl::Milliseconds(100));
  EXPECT_TRUE(absl::IsDeadlineExceeded(read)) << read;
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(100));
}

TEST_F(WorkerProtocolTest, HalfAFrameByTheDeadlineIsDeadlineExceeded) {
  Send(Header(10, 6, 0) + "half");
  Frame frame;
  absl::Status read = Read(&frame, absl::Milliseconds(100));
  EXPECT_TRUE(absl::IsDeadlineExceeded(read)) << read;
}

TEST_F(WorkerProtocolTest, APeerThatIsGoneIsUnavailable) {
  Send(Header(10, 6, 0) + "half");
  CloseWriter();
  Frame frame;
  absl::Status read = Read(&frame);
  EXPECT_TRUE(absl::IsUnavailable(read)) << read;
  EXPECT_THAT(std::string(read.message()), HasSubstr("closed its end"));
}

TEST_F(WorkerProtocolTest, WritingToAPeerThatIsGoneIsUnavailableNotSigpipe) {
  close(fds_[1]);
  fds_[1] = -1;
  absl::Status write = WriteFrame(writer(), FrameType::kCall, "request", 1);
  EXPECT_TRUE(absl::IsUnavailable(write)) << write;
}

TEST_F(WorkerProtocolTest, AFrameOverTheBoundIsOutOfRange) {
  Send(Header(1001, 6, 0));
  Frame frame;
  absl::Status read = Read(&frame, absl::Seconds(5), /*max_payload=*/1000);
  EXPECT_TRUE(absl::IsOutOfRange(read)) << read;
  EXPECT_THAT(std::string(read.message()),
              HasSubstr("a frame of 1001 bytes, over the bound of 1000"));
}

TEST_F(WorkerProtocolTest, AnUnknownFrameTypeIsDataLoss) {
  for (uint8_t type : {uint8_t{0}, uint8_t{10}}) {
    FrameReader reader;
    Send(Header(0, type, 0));
    Frame frame;
    absl::Status read = reader.Read(reader_fd(), absl::Now() + absl::Seconds(5), 100, &frame);
    EXPECT_TRUE(absl::IsDataLoss(read)) << read;
    EXPECT_THAT(std::string(read.message()),
                HasSubstr(absl::StrCat("unknown frame type ", type)));
  }
}

TEST(WorkerProtocolPayloads, ConfigAndSizeDecodeAsEncoded) {
  PluginLimits limits;
  limits.memory_limit_bytes = 123456789;
  limits.max_response_bytes = 4242;
  size_t memory = 0, response = 0;
  std::string config;
  ASSERT_TRUE(DecodeConfig(EncodeConfig(limits, "struct bytes"), &memory, &response, &config));
  EXPECT_EQ(memory, 123456789u);
  EXPECT_EQ(response, 4242u);
  EXPECT_EQ(config, "struct bytes");
  EXPECT_FALSE(DecodeConfig("short", &memory, &response, &config));
  EXPECT_EQ(DecodeSize(EncodeSize(uint64_t{5} << 40)), uint64_t{5} << 40);
  EXPECT_EQ(DecodeSize("short"), 0u);
}

}  // namespace
}  // namespace escalation::runtime
