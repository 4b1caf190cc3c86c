#include "server/logging/json.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace escalation::observability {

std::string JsonQuote(absl::string_view value) {
  // nlohmann's serializer escapes what RFC 8259 requires and, told to
  // replace, writes U+FFFD for each byte that is not valid UTF-8.
  return nlohmann::json(std::string(value))
      .dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

void JsonObject::Key(absl::string_view key) {
  if (!body_.empty()) body_ += ',';
  body_ += JsonQuote(key);
  body_ += ':';
}

JsonObject& JsonObject::AddString(absl::string_view key, absl::string_view value) {
  Key(key);
  body_ += JsonQuote(value);
  return *this;
}

JsonObject& JsonObject::AddInt(absl::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&body_, value);
  return *this;
}

JsonObject& JsonObject::AddDouble(absl::string_view key, double value) {
  Key(key);
  // JSON has no NaN or infinity.
  if (std::isfinite(value)) {
    absl::StrAppendFormat(&body_, "%.6g", value);
  } else {
    body_ += "null";
  }
  return *this;
}

JsonObject& JsonObject::AddBool(absl::string_view key, bool value) {
  Key(key);
  body_ += value ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::AddRaw(absl::string_view key, absl::string_view json) {
  Key(key);
  absl::StrAppend(&body_, json);
  return *this;
}

}  // namespace escalation::observability
