#include "server/plugin_runtime/worker_protocol.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace escalation::runtime {
namespace {

absl::Status WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::UnavailableError(absl::StrCat("write: ", std::strerror(errno)));
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status ReadAll(int fd, absl::Time deadline, char* data, size_t size) {
  while (size > 0) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return absl::DeadlineExceededError("no answer in time");
    pollfd p{fd, POLLIN, 0};
    const int64_t ms = deadline == absl::InfiniteFuture()
                           ? -1
                           : std::max<int64_t>(1, absl::ToInt64Milliseconds(left));
    const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(ms, 1 << 30)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return absl::UnavailableError(absl::StrCat("poll: ", std::strerror(errno)));
    if (ready == 0) continue;  // Re-checks the deadline.
    const ssize_t n = recv(fd, data, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return absl::UnavailableError("the worker closed its end");
    if (n < 0) return absl::UnavailableError(absl::StrCat("read: ", std::strerror(errno)));
    data += n;
    size -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
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

absl::Status WriteFrame(int fd, FrameType type, absl::string_view payload) {
  if (payload.size() > UINT32_MAX) return absl::OutOfRangeError("frame too large");
  char header[5];
  const uint32_t size = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) header[i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  header[4] = static_cast<char>(type);
  if (absl::Status s = WriteAll(fd, header, sizeof header); !s.ok()) return s;
  return WriteAll(fd, payload.data(), payload.size());
}

absl::Status ReadFrame(int fd, absl::Time deadline, size_t max_payload, Frame* frame) {
  unsigned char header[5];
  if (absl::Status s = ReadAll(fd, deadline, reinterpret_cast<char*>(header), sizeof header);
      !s.ok()) {
    return s;
  }
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
  frame->payload.resize(size);
  return ReadAll(fd, deadline, frame->payload.data(), size);
}

}  // namespace escalation::runtime
