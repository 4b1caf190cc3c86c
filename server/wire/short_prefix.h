// Bounded echo: error messages quote at most a short prefix of a value that
// came from a client or a plugin, never the whole of it.
#ifndef ESCALATION_SERVER_WIRE_SHORT_PREFIX_H_
#define ESCALATION_SERVER_WIRE_SHORT_PREFIX_H_

#include <string>

#include "absl/strings/string_view.h"

namespace escalation::host {

// How much of a client's value an error message quotes.
inline constexpr size_t kQuotedValueBytes = 100;

// `value` if it fits in `max_bytes`, else its first bytes (cut on a UTF-8
// character boundary) and "... (N bytes)".
std::string ShortPrefix(absl::string_view value, size_t max_bytes = kQuotedValueBytes);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_WIRE_SHORT_PREFIX_H_
