// A JSON object written key by key into one string, in the order the keys
// are added. Both the log lines and the decision-log lines are built with it,
// so every string value is escaped the same way (RFC 8259).
#ifndef ESCALATION_SERVER_LOGGING_JSON_H_
#define ESCALATION_SERVER_LOGGING_JSON_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace escalation::observability {

// `value` as a JSON string literal, quotes included. Control characters are
// escaped; each byte that is not part of valid UTF-8 becomes U+FFFD, so a
// line is always valid JSON whatever a plugin or a caller sent.
std::string JsonQuote(absl::string_view value);

class JsonObject {
 public:
  JsonObject& AddString(absl::string_view key, absl::string_view value);
  JsonObject& AddInt(absl::string_view key, int64_t value);
  JsonObject& AddDouble(absl::string_view key, double value);
  JsonObject& AddBool(absl::string_view key, bool value);
  // `json` is already a JSON value (object, array, number...).
  JsonObject& AddRaw(absl::string_view key, absl::string_view json);

  bool empty() const { return body_.empty(); }
  // The object, braces included.
  std::string Finish() const { return "{" + body_ + "}"; }

 private:
  void Key(absl::string_view key);

  std::string body_;
};

// Joins already-encoded JSON values into an array.
template <typename Range>
std::string JsonArray(const Range& encoded_values) {
  std::string out = "[";
  for (const auto& value : encoded_values) {
    if (out.size() > 1) out += ',';
    out += value;
  }
  return out + "]";
}

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_LOGGING_JSON_H_
