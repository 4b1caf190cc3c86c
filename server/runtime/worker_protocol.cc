#include "server/runtime/worker_protocol.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace escalation::runtime {
namespace {

constexpr size_t kHeaderBytes = 6;
// Room for the requests and answers of this project's plugins (a few KiB),
// so each comes in with one recv; a larger frame is read into its payload.
constexpr size_t kBufferBytes = size_t{16} << 10;

// One recv of at most `size` bytes: the first bytes to come before
// `deadline`. Without a deadline (the worker) it blocks in recv. With one it
// polls first, as the peer is normally still at work on its answer (a recv
// first would mostly find nothing: measured, 87% of the server's reads).
absl::StatusOr<size_t> ReceiveSome(int fd, absl::Time deadline, char* data, size_t size) {
  const bool forever = deadline == absl::InfiniteFuture();
  for (;;) {
    if (!forever) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) return absl::DeadlineExceededError("no answer in time");
      pollfd p{fd, POLLIN, 0};
      const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(left));
      const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return absl::UnavailableError(absl::StrCat("poll: ", std::strerror(errno)));
      if (ready == 0) continue;  // Re-checks the deadline.
    }
    const ssize_t n = recv(fd, data, size, forever ? 0 : MSG_DONTWAIT);
    if (n > 0) return static_cast<size_t>(n);
    if (n == 0) return absl::UnavailableError("the worker closed its end");
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
    return absl::UnavailableError(absl::StrCat("read: ", std::strerror(errno)));
  }
}

void PutU64(uint64_t v, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t GetU64(absl::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(in[i])} << (8 * i);
  return v;
}

}  // namespace

std::string EncodeSize(uint64_t size) {
  std::string out;
  PutU64(size, &out);
  return out;
}

uint64_t DecodeSize(absl::string_view payload) {
  return payload.size() < 8 ? 0 : GetU64(payload);
}

std::string EncodeConfig(const PluginLimits& limits, absl::string_view config) {
  std::string out;
  PutU64(limits.memory_limit_bytes, &out);
  PutU64(limits.max_response_bytes, &out);
  out.append(config.data(), config.size());
  return out;
}

bool DecodeConfig(absl::string_view payload, size_t* memory_limit_bytes,
                  size_t* max_response_bytes, std::string* config) {
  if (payload.size() < 16) return false;
  *memory_limit_bytes = GetU64(payload.substr(0, 8));
  *max_response_bytes = GetU64(payload.substr(8, 8));
  config->assign(payload.data() + 16, payload.size() - 16);
  return true;
}

absl::Status WriteFrame(int fd, FrameType type, absl::string_view payload, uint8_t tag) {
  size_t written = 0;
  const OutFrame frame{type, tag, payload};
  return WriteFrames(fd, absl::MakeConstSpan(&frame, 1), &written);
}

absl::Status WriteFrames(int fd, absl::Span<const OutFrame> frames, size_t* written) {
  *written = 0;
  // Inline room for the calls a lane sends at once: nothing is allocated.
  absl::InlinedVector<std::array<char, kHeaderBytes>, 8> headers(frames.size());
  absl::InlinedVector<iovec, 16> parts;
  absl::InlinedVector<size_t, 8> ends;  // Where each frame ends, in bytes from the first.
  size_t total = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    const absl::string_view payload = frames[i].payload;
    if (payload.size() > UINT32_MAX) return absl::OutOfRangeError("frame too large");
    std::array<char, kHeaderBytes>& header = headers[i];
    const uint32_t size = static_cast<uint32_t>(payload.size());
    for (int b = 0; b < 4; ++b) header[b] = static_cast<char>((size >> (8 * b)) & 0xFF);
    header[4] = static_cast<char>(frames[i].type);
    header[5] = static_cast<char>(frames[i].tag);
    parts.push_back({header.data(), kHeaderBytes});
    if (!payload.empty()) parts.push_back({const_cast<char*>(payload.data()), payload.size()});
    total += kHeaderBytes + payload.size();
    ends.push_back(total);
  }
  msghdr message{};
  message.msg_iov = parts.data();
  message.msg_iovlen = parts.size();
  size_t sent_total = 0;
  auto count_whole = [&] {
    while (*written < ends.size() && ends[*written] <= sent_total) ++*written;
  };
  while (sent_total < total) {
    const ssize_t n = sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      count_whole();
      return absl::UnavailableError(absl::StrCat("write: ", std::strerror(errno)));
    }
    sent_total += static_cast<size_t>(n);
    // A partial write (a large frame, a full socket): go on from where it stopped.
    size_t sent = static_cast<size_t>(n);
    while (message.msg_iovlen > 0 && sent >= message.msg_iov->iov_len) {
      sent -= message.msg_iov->iov_len;
      ++message.msg_iov;
      --message.msg_iovlen;
    }
    if (message.msg_iovlen > 0) {
      message.msg_iov->iov_base = static_cast<char*>(message.msg_iov->iov_base) + sent;
      message.msg_iov->iov_len -= sent;
    }
  }
  count_whole();
  return absl::OkStatus();
}

FrameReader::FrameReader() : buffer_(new char[kBufferBytes]) {}

absl::Status FrameReader::Fill(int fd, absl::Time deadline) {
  absl::StatusOr<size_t> n = ReceiveSome(fd, deadline, buffer_.get() + end_, kBufferBytes - end_);
  if (!n.ok()) return n.status();
  end_ += *n;
  return absl::OkStatus();
}

absl::Status FrameReader::Read(int fd, absl::Time deadline, size_t max_payload,
                               Frame* frame) {
  auto compact = [this] {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  };
  while (end_ - begin_ < kHeaderBytes) {
    compact();
    if (absl::Status s = Fill(fd, deadline); !s.ok()) return s;
  }
  const auto* header = reinterpret_cast<const unsigned char*>(buffer_.get() + begin_);
  uint32_t size = 0;
  for (int i = 0; i < 4; ++i) size |= static_cast<uint32_t>(header[i]) << (8 * i);
  if (header[4] < static_cast<uint8_t>(FrameType::kHello) ||
      header[4] > static_cast<uint8_t>(FrameType::kFixedTexts)) {
    return absl::DataLossError(absl::StrCat("unknown frame type ", header[4]));
  }
  if (size > max_payload) {
    return absl::OutOfRangeError(
        absl::StrCat("a frame of ", size, " bytes, over the bound of ", max_payload));
  }
  frame->type = static_cast<FrameType>(header[4]);
  frame->tag = header[5];
  begin_ += kHeaderBytes;
  if (size <= kBufferBytes) {
    if (begin_ + size > kBufferBytes) compact();
    while (end_ - begin_ < size) {
      if (absl::Status s = Fill(fd, deadline); !s.ok()) return s;
    }
    frame->payload.assign(buffer_.get() + begin_, size);
    begin_ += size;
  } else {
    // Only this frame can be in the buffer: it is larger than the buffer.
    const size_t have = end_ - begin_;
    frame->payload.resize(size);
    std::memcpy(frame->payload.data(), buffer_.get() + begin_, have);
    begin_ = end_;
    for (size_t got = have; got < size;) {
      absl::StatusOr<size_t> n =
          ReceiveSome(fd, deadline, frame->payload.data() + got, size - got);
      if (!n.ok()) return n.status();
      got += *n;
    }
  }
  if (begin_ == end_) begin_ = end_ = 0;
  return absl::OkStatus();
}

}  // namespace escalation::runtime
