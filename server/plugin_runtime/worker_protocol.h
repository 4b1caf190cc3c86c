// The frames between the server and an escalation-plugin-host worker over
// their socket pair: [u32 little-endian payload length][u8 type][payload].
//
//   worker -> server  kHello    the plugin's name (the server then finds its
//                               configuration), or kFailed with the reason
//   server -> worker  kConfig   [u64 memory limit][u64 answer bound]
//                               [google.protobuf.Struct wire bytes]
//   worker -> server  kReady    escalation.v1.PluginInfo wire bytes, or kFailed
//   server -> worker  kCall     [u8 PluginMethod][request wire bytes]
//   worker -> server  kAnswer   [u8 EscStatus][response wire bytes]
//                     kTooLarge [u64 size] — the answer was over the bound
//                     kOverMemory [u8 EscStatus][bytes] — answered, then the
//                               worker exits: it is over its memory limit
//
// The server and the worker are built together, so the frames may change
// between versions; only the plugin ABI is a promise.
#ifndef ESCALATION_SERVER_PLUGIN_RUNTIME_WORKER_PROTOCOL_H_
#define ESCALATION_SERVER_PLUGIN_RUNTIME_WORKER_PROTOCOL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/plugin_runtime/plugin_limits.h"

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
};

struct Frame {
  FrameType type = FrameType::kFailed;
  std::string payload;
};

// The kConfig payload.
std::string EncodeConfig(const PluginLimits& limits, absl::string_view config);
bool DecodeConfig(absl::string_view payload, size_t* memory_limit_bytes,
                  size_t* max_response_bytes, std::string* config);

// The kTooLarge payload: the size of the refused answer.
std::string EncodeSize(uint64_t size);
uint64_t DecodeSize(absl::string_view payload);  // 0 when too short

// Writes one frame (no SIGPIPE on a closed peer).
absl::Status WriteFrame(int fd, FrameType type, absl::string_view payload);

// Reads one frame, waiting at most until `deadline`. DEADLINE_EXCEEDED when
// it passes, UNAVAILABLE on end of file (the peer is gone), OUT_OF_RANGE for
// a frame over `max_payload`, DATA_LOSS for a broken frame.
absl::Status ReadFrame(int fd, absl::Time deadline, size_t max_payload, Frame* frame);

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_PLUGIN_RUNTIME_WORKER_PROTOCOL_H_
