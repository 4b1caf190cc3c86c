// Which request fields the decision log must not write as given: each is a
// dotted path of protobuf field names from the request message
// ("call.customer_name" in a RouteRequest, "task.text" in a
// ValidateTaskRequest), either removed or replaced by "sha256:<hex>" of its
// value (equal values still match across lines; the value is not readable).
#ifndef ESCALATION_SERVER_OBSERVABILITY_FIELD_MASKS_H_
#define ESCALATION_SERVER_OBSERVABILITY_FIELD_MASKS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace escalation::observability {

enum class MaskMode { kRemove, kHash };

// "remove" or "hash"; anything else is INVALID_ARGUMENT.
absl::StatusOr<MaskMode> ParseMaskMode(absl::string_view name);

class FieldMasks {
 public:
  // The paths masked unless configured otherwise.
  static std::vector<std::string> DefaultPaths() { return {"call.customer_name"}; }

  // Resolves every path against RouteRequest and ValidateTaskRequest; a path
  // that names a field of neither, or (with kHash) a field that is not a
  // string, is INVALID_ARGUMENT naming the path and the part at fault.
  static absl::StatusOr<FieldMasks> Create(const std::vector<std::string>& paths,
                                           MaskMode mode);
  FieldMasks() = default;  // Masks nothing.

  // Masks `request` in place (paths rooted at another message type are skipped).
  void Apply(google::protobuf::Message* request) const;

 private:
  struct Path {
    const google::protobuf::Descriptor* root;
    std::vector<const google::protobuf::FieldDescriptor*> fields;
  };
  void ApplyAt(google::protobuf::Message* message, const Path& path, size_t depth) const;

  std::vector<Path> paths_;
  MaskMode mode_ = MaskMode::kRemove;
};

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_FIELD_MASKS_H_
