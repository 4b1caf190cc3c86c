#include "server/observability/field_masks.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "escalation/v1/service.pb.h"
#include "server/loading/sha256.h"

namespace escalation::observability {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The fields `path` names under `root`, or why it names none.
absl::StatusOr<std::vector<const FieldDescriptor*>> Resolve(const Descriptor* root,
                                                            absl::string_view path) {
  std::vector<const FieldDescriptor*> fields;
  const Descriptor* current = root;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (current == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(fields.back()->full_name(), " has no fields"));
    }
    const FieldDescriptor* field = current->FindFieldByName(std::string(part));
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(current->full_name(), " has no field \"", part, "\""));
    }
    fields.push_back(field);
    current = field->message_type();
  }
  return fields;
}

}  // namespace

absl::StatusOr<MaskMode> ParseMaskMode(absl::string_view name) {
  if (name == "remove") return MaskMode::kRemove;
  if (name == "hash") return MaskMode::kHash;
  return absl::InvalidArgumentError(
      absl::StrCat("mask mode \"", name, "\" is not remove or hash"));
}

absl::StatusOr<FieldMasks> FieldMasks::Create(const std::vector<std::string>& paths,
                                              MaskMode mode) {
  FieldMasks masks;
  masks.mode_ = mode;
  const Descriptor* roots[] = {v1::RouteRequest::descriptor(),
                               v1::ValidateTaskRequest::descriptor()};
  for (const std::string& path : paths) {
    std::vector<std::string> reasons;
    for (const Descriptor* root : roots) {
      auto fields = Resolve(root, path);
      if (!fields.ok()) {
        reasons.push_back(std::string(fields.status().message()));
        continue;
      }
      const FieldDescriptor* last = fields->back();
      if (mode == MaskMode::kHash && last->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
        return absl::InvalidArgumentError(absl::StrCat(
            "mask \"", path, "\": ", last->full_name(),
            " is not a string and cannot be hashed; mask it with remove"));
      }
      masks.paths_.push_back(Path{root, *std::move(fields)});
      reasons.clear();
      break;
    }
    if (!reasons.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "mask \"", path, "\" names no request field: ", absl::StrJoin(reasons, "; ")));
    }
  }
  return masks;
}

void FieldMasks::Apply(Message* request) const {
  for (const Path& path : paths_) {
    if (request->GetDescriptor() == path.root) ApplyAt(request, path, 0);
  }
}

void FieldMasks::ApplyAt(Message* message, const Path& path, size_t depth) const {
  const FieldDescriptor* field = path.fields[depth];
  const Reflection* reflection = message->GetReflection();
  const bool last = depth + 1 == path.fields.size();
  if (last && mode_ == MaskMode::kRemove) {
    reflection->ClearField(message, field);
    return;
  }
  if (last) {  // kHash on a string field (checked in Create).
    auto hashed = [](const std::string& value) { return "sha256:" + host::Sha256Hex(value); };
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
        reflection->SetRepeatedString(
            message, field, i, hashed(reflection->GetRepeatedString(*message, field, i)));
      }
    } else if (reflection->HasField(*message, field)) {
      reflection->SetString(message, field, hashed(reflection->GetString(*message, field)));
    }
    return;
  }
  if (field->is_repeated()) {
    for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
      ApplyAt(reflection->MutableRepeatedMessage(message, field, i), path, depth + 1);
    }
  } else if (reflection->HasField(*message, field)) {
    ApplyAt(reflection->MutableMessage(message, field), path, depth + 1);
  }
}

}  // namespace escalation::observability
