// Reading a plugin's configuration (a google.protobuf.Struct parsed from the
// plugin's JSON file by the server). Every error names the key.
#ifndef ESCALATION_SDK_CONFIG_H_
#define ESCALATION_SDK_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace escalation::sdk {

// The string at `key`; an error when absent or not a non-empty string.
absl::StatusOr<std::string> RequireString(const google::protobuf::Struct& s,
                                          absl::string_view key);

// The list of strings at `key`; an error when absent, empty, or holding a
// non-string.
absl::StatusOr<std::vector<std::string>> RequireStringList(
    const google::protobuf::Struct& s, absl::string_view key);

// The object at `key`; an error when absent or not an object.
absl::StatusOr<const google::protobuf::Struct*> RequireObject(
    const google::protobuf::Struct& s, absl::string_view key);

// Fails when `s` holds a key not in `known`, so a typo is never ignored.
absl::Status RejectUnknownKeys(const google::protobuf::Struct& s,
                               const std::vector<std::string>& known,
                               absl::string_view where);

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_CONFIG_H_
