#include "escalation/sdk/config.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace escalation::sdk {
namespace {

absl::StatusOr<const google::protobuf::Value*> Find(
    const google::protobuf::Struct& s, absl::string_view key) {
  auto it = s.fields().find(std::string(key));
  if (it == s.fields().end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration key \"", key, "\" is missing"));
  }
  return &it->second;
}

}  // namespace

absl::StatusOr<std::string> RequireString(const google::protobuf::Struct& s,
                                          absl::string_view key) {
  absl::StatusOr<const google::protobuf::Value*> value = Find(s, key);
  if (!value.ok()) return value.status();
  if (!(*value)->has_string_value() || (*value)->string_value().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "configuration key \"", key, "\" must be a non-empty string"));
  }
  return (*value)->string_value();
}

absl::StatusOr<std::vector<std::string>> RequireStringList(
    const google::protobuf::Struct& s, absl::string_view key) {
  absl::StatusOr<const google::protobuf::Value*> value = Find(s, key);
  if (!value.ok()) return value.status();
  if (!(*value)->has_list_value() ||
      (*value)->list_value().values().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "configuration key \"", key, "\" must be a non-empty list of strings"));
  }
  std::vector<std::string> out;
  for (const google::protobuf::Value& item : (*value)->list_value().values()) {
    if (!item.has_string_value() || item.string_value().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "configuration key \"", key, "\" holds an entry that is not a ",
          "non-empty string"));
    }
    out.push_back(item.string_value());
  }
  return out;
}

absl::StatusOr<const google::protobuf::Struct*> RequireObject(
    const google::protobuf::Struct& s, absl::string_view key) {
  absl::StatusOr<const google::protobuf::Value*> value = Find(s, key);
  if (!value.ok()) return value.status();
  if (!(*value)->has_struct_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration key \"", key, "\" must be an object"));
  }
  return &(*value)->struct_value();
}

absl::Status RejectUnknownKeys(const google::protobuf::Struct& s,
                               const std::vector<std::string>& known,
                               absl::string_view where) {
  for (const auto& [key, unused] : s.fields()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown configuration key \"", key, "\" in ", where));
    }
  }
  return absl::OkStatus();
}

}  // namespace escalation::sdk
