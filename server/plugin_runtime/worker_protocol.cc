#include "server/plugin_runtime/worker_protocol.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstring>

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
  if (payload.size() > UINT32_MAX) return absl::OutOfRangeError("frame too large");
  char header[kHeaderBytes];
  const uint32_t size = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) header[i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  header[4] = static_cast<char>(type);
  header[5] = static_cast<char>(tag);
  iovec parts[2] = {{header, kHeaderBytes},
                    {const_cast<char*>(payload.data()), payload.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = payload.empty() ? 1 : 2;
  size_t left = kHeaderBytes + payload.size();
  for (;;) {
    const ssize_t n = sendmsg(fd, &message, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return absl::UnavailableError(absl::StrCat("write: ", std::strerror(errno)));
    left -= static_cast<size_t>(n);
    if (left == 0) return absl::OkStatus();
    // A partial write (a large frame): go on from where it stopped.
    size_t sent = static_cast<size_t>(n);
    while (sent >= message.msg_iov->iov_len) {
      sent -= message.msg_iov->iov_len;
      ++message.msg_iov;
      --message.msg_iovlen;
    }
    message.msg_iov->iov_base = static_cast<char*>(message.msg_iov->iov_base) + sent;
    message.msg_iov->iov_len -= sent;
  }
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
      header[4] > static_cast<uint8_t>(FrameType::kOverMemory)) {
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
