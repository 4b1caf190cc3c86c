// The frames between the server and an escalation-plugin-host worker over
// their socket pair: a 6-byte header [u32 little-endian payload length]
// [u8 type][u8 tag], then the payload.
//
//   worker -> server  kHello    the plugin's name (the server then finds its
//                               configuration), or kFailed with the reason
//   server -> worker  kConfig   [u64 memory limit][u64 answer bound]
//                               [google.protobuf.Struct wire bytes]
//   worker -> server  kFixedTexts escalation.v1.PluginFixedTexts wire bytes,
//                               when the plugin declared any (ABI 1.1)
//                     kReady    escalation.v1.PluginInfo wire bytes, or kFailed
//   server -> worker  kCall     tag: the PluginMethod; the request wire bytes
//   worker -> server  kAnswer   tag: the EscStatus; the response wire bytes
//                     kTooLarge [u64 size] — the answer was over the bound
//                     kOverMemory tag and bytes as kAnswer — answered, then
//                               the worker exits: it is over its memory limit
// The tag is 0 for the other types. Carrying the method and the status in
// the header lets a request and an answer cross as they are: written from
// the caller's bytes, read into the bytes handed on, never re-assembled.
//
// The server and the worker are built together, so the frames may change
// between versions; only the plugin ABI is a promise.
#ifndef ESCALATION_SERVER_RUNTIME_WORKER_PROTOCOL_H_
#define ESCALATION_SERVER_RUNTIME_WORKER_PROTOCOL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "absl/time/time.h"
#include "server/runtime/plugin_limits.h"

namespace escalation::runtime {

enum class FrameType : uint8_t {
  kHello = 1,
  kConfig = 2,
  kReady = 3,
  kFailed = 4,
  kCall = 5,
  kAnswer = 6,
  kTooLarge = 7,
  kOverMemory = 8,
  kFixedTexts = 9,
};

struct Frame {
  FrameType type = FrameType::kFailed;
  uint8_t tag = 0;
  std::string payload;
};

// The kConfig payload.
std::string EncodeConfig(const PluginLimits& limits, absl::string_view config);
bool DecodeConfig(absl::string_view payload, size_t* memory_limit_bytes,
                  size_t* max_response_bytes, std::string* config);

// The kTooLarge payload: the size of the refused answer.
std::string EncodeSize(uint64_t size);
uint64_t DecodeSize(absl::string_view payload);  // 0 when too short

// Writes one frame with one sendmsg (no SIGPIPE on a closed peer), so the
// reader wakes once for it, not once for the header and again for the rest.
absl::Status WriteFrame(int fd, FrameType type, absl::string_view payload,
                        uint8_t tag = 0);

// Writes several frames with one sendmsg (more only if the socket takes them
// in parts), so the reader wakes once for all. On failure `*written` says
// how many frames went out whole.
struct OutFrame {
  FrameType type;
  uint8_t tag;
  absl::string_view payload;
};
absl::Status WriteFrames(int fd, absl::Span<const OutFrame> frames, size_t* written);

// Reads the frames arriving on one socket. A small frame comes in with one
// recv into a buffer of its own (after one poll when there is a deadline);
// a larger one's payload is read straight into the frame. Bytes past the
// frame stay in the buffer for the next.
class FrameReader {
 public:
  FrameReader();

  // Reads one frame, waiting at most until `deadline` (InfiniteFuture: in
  // a blocking recv). DEADLINE_EXCEEDED when it passes, UNAVAILABLE on end
  // of file (the peer is gone), OUT_OF_RANGE for a frame over
  // `max_payload`, DATA_LOSS for a broken frame.
  absl::Status Read(int fd, absl::Time deadline, size_t max_payload, Frame* frame);

 private:
  // Reads what is there, waiting for at least one byte, into the buffer.
  absl::Status Fill(int fd, absl::Time deadline);

  std::unique_ptr<char[]> buffer_;
  size_t begin_ = 0;  // The unread bytes are [begin_, end_).
  size_t end_ = 0;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_WORKER_PROTOCOL_H_
