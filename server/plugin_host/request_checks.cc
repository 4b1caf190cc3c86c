#include "server/plugin_host/request_checks.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace escalation::host {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Range of google.protobuf.Timestamp: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;
// Range of google.protobuf.Duration: about +-10,000 years.
constexpr int64_t kMaxDurationSeconds = 315576000000;
constexpr int32_t kMaxNanos = 999999999;

absl::Status Invalid(const std::string& path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

std::string Join(const std::string& parent, const FieldDescriptor* field) {
  return parent.empty() ? field->name() : absl::StrCat(parent, ".", field->name());
}

absl::Status CheckTime(const Message& m, const std::string& path) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const int64_t seconds = r->GetInt64(m, d->FindFieldByName("seconds"));
  const int32_t nanos = r->GetInt32(m, d->FindFieldByName("nanos"));
  if (d->full_name() == "google.protobuf.Timestamp") {
    if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds ||
        nanos < 0 || nanos > kMaxNanos) {
      return Invalid(path, "malformed timestamp (outside 0001-01-01..9999-12-31 "
                           "or nanos outside 0..999999999)");
    }
  } else {
    if (seconds < -kMaxDurationSeconds || seconds > kMaxDurationSeconds ||
        nanos < -kMaxNanos || nanos > kMaxNanos ||
        (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
      return Invalid(path, "malformed duration");
    }
    // Every duration a request carries is a time that has passed (a wait).
    if (seconds < 0 || nanos < 0) return Invalid(path, "must not be negative");
  }
  return absl::OkStatus();
}

absl::Status Check(const Message& m, const std::string& path);

absl::Status CheckValue(const Message& m, const FieldDescriptor* field,
                        int index, const std::string& path) {
  const Reflection* r = m.GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    const int number = index < 0 ? r->GetEnumValue(m, field)
                                  : r->GetRepeatedEnumValue(m, field, index);
    if (field->enum_type()->FindValueByNumber(number) == nullptr) {
      return Invalid(path, absl::StrCat("unknown ", field->enum_type()->name(),
                                        " value ", number));
    }
  } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const Message& child = index < 0 ? r->GetMessage(m, field)
                                     : r->GetRepeatedMessage(m, field, index);
    return Check(child, path);
  }
  return absl::OkStatus();
}

absl::Status Check(const Message& m, const std::string& path) {
  const std::string& type = m.GetDescriptor()->full_name();
  if (type == "google.protobuf.Timestamp" || type == "google.protobuf.Duration") {
    return CheckTime(m, path);
  }
  // Struct, Value and ListValue hold free-form data; there is nothing to check.
  if (type == "google.protobuf.Struct") return absl::OkStatus();

  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string field_path = Join(path, field);
    if (!field->is_repeated()) {
      if (absl::Status s = CheckValue(m, field, -1, field_path); !s.ok()) return s;
      continue;
    }
    const int size = m.GetReflection()->FieldSize(m, field);
    for (int i = 0; i < size; ++i) {
      if (absl::Status s = CheckValue(m, field, i, absl::StrCat(field_path, "[", i, "]"));
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckWellFormed(const Message& message) {
  return Check(message, "");
}

}  // namespace escalation::host
