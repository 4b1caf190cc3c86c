// Whether bytes are UTF-8 by protobuf's own rule (what a proto3 string must
// be for protobuf to parse it), decided quickly for the usual case.
#ifndef ESCALATION_SERVER_WIRE_UTF8_H_
#define ESCALATION_SERVER_WIRE_UTF8_H_

#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/common.h"

namespace escalation::host {

// Plugin texts are nearly all ASCII, which is valid on its own and is
// checked a word at a time. Protobuf's check, which walks a state table
// byte by byte (5 % of the heaviest decision's instructions when it read
// every text), reads only from the first byte that is not ASCII: an ASCII
// byte is a whole character, so the rest is valid exactly when the whole is.
inline bool IsProtobufUtf8(absl::string_view bytes) {
  const char* at = bytes.data();
  const char* const end = at + bytes.size();
  constexpr uint64_t kHighBits = 0x8080808080808080u;
  auto word = [](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  auto ascii_word = [&](const char* p) { return (word(p) & kHighBits) == 0; };
  if (end - at >= 8) {
    // Long texts (scripts, steps) go 32 bytes a step.
    while (end - at > 32 &&
           ((word(at) | word(at + 8) | word(at + 16) | word(at + 24)) & kHighBits) == 0) {
      at += 32;
    }
    while (end - at > 8 && ascii_word(at)) at += 8;
    // The last eight bytes, overlapping those already read: no byte loop
    // for the tail of a text of eight bytes or more.
    if (end - at <= 8 && ascii_word(end - 8)) return true;
  }
  while (at != end && static_cast<unsigned char>(*at) < 0x80) ++at;
  return at == end || google::protobuf::internal::IsStructurallyValidUTF8(
                          at, static_cast<int>(end - at));
}

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_WIRE_UTF8_H_
