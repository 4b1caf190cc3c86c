#include "server/engine/request_checks.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/descriptor.h"
#include "server/wire/short_prefix.h"

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

// What to check in one message type, worked out once from its descriptor: the
// fields that can hold a wrong value (enums, and messages with such fields
// below them), in field-number order so the first one reported is the one the
// reflection walk of every set field would have reported.
struct Plan {
  enum Kind { kFields, kTimestamp, kDuration, kFreeForm };
  struct Field {
    const FieldDescriptor* field;
    const Plan* message;  // Null for an enum field.
    // For an enum field whose values are all in [0, 64): bit n says n is defined.
    uint64_t defined = 0;
    bool small_enum = false;
  };
  Kind kind = kFields;
  std::vector<Field> fields;
  const FieldDescriptor* seconds = nullptr;  // Timestamp and Duration.
  const FieldDescriptor* nanos = nullptr;
  bool complete = false;  // False while its fields are being planned (a cycle).

  bool Empty() const { return kind == kFields && complete && fields.empty(); }
};

Plan::Field EnumField(const FieldDescriptor* field) {
  Plan::Field planned{field, nullptr};
  const google::protobuf::EnumDescriptor* type = field->enum_type();
  planned.small_enum = true;
  for (int i = 0; i < type->value_count(); ++i) {
    const int number = type->value(i)->number();
    if (number < 0 || number >= 64) planned.small_enum = false;
    if (planned.small_enum) planned.defined |= uint64_t{1} << number;
  }
  return planned;
}

bool Defined(const Plan::Field& f, int number) {
  if (f.small_enum) return number >= 0 && number < 64 && (f.defined >> number & 1) != 0;
  return f.field->enum_type()->FindValueByNumber(number) != nullptr;
}

class Plans {
 public:
  // Plans are never removed, so a thread keeps the last few it used without
  // taking the lock again.
  const Plan& For(const Descriptor* type) {
    struct Recent {
      const Descriptor* type = nullptr;
      const Plan* plan = nullptr;
    };
    thread_local Recent recent[4];
    for (const Recent& r : recent) {
      if (r.type == type) return *r.plan;
    }
    const Plan& plan = Find(type);
    std::move_backward(recent, recent + 3, recent + 4);
    recent[0] = {type, &plan};
    return plan;
  }

 private:
  const Plan& Find(const Descriptor* type) {
    {
      std::shared_lock<std::shared_mutex> lock(mu_);
      if (auto it = plans_.find(type); it != plans_.end() && it->second->complete) {
        return *it->second;
      }
    }
    std::unique_lock<std::shared_mutex> lock(mu_);
    return *Build(type);
  }

  const Plan* Build(const Descriptor* type) {
    if (auto it = plans_.find(type); it != plans_.end()) return it->second.get();
    Plan* plan = (plans_[type] = std::make_unique<Plan>()).get();
    const std::string& name = type->full_name();
    if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration") {
      plan->kind = name == "google.protobuf.Timestamp" ? Plan::kTimestamp : Plan::kDuration;
      plan->seconds = type->FindFieldByName("seconds");
      plan->nanos = type->FindFieldByName("nanos");
    } else if (name == "google.protobuf.Struct") {
      // Struct, Value and ListValue hold free-form data; there is nothing to check.
      plan->kind = Plan::kFreeForm;
    } else {
      for (int i = 0; i < type->field_count(); ++i) {
        const FieldDescriptor* field = type->field(i);
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
          plan->fields.push_back(EnumField(field));
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          const Plan* child = Build(field->message_type());
          if (!child->Empty() && child->kind != Plan::kFreeForm) {
            plan->fields.push_back({field, child});
          }
        }
      }
      std::sort(plan->fields.begin(), plan->fields.end(),
                [](const Plan::Field& a, const Plan::Field& b) {
                  return a.field->number() < b.field->number();
                });
    }
    plan->complete = true;
    return plan;
  }

  std::shared_mutex mu_;
  std::unordered_map<const Descriptor*, std::unique_ptr<Plan>> plans_;
};

// Where the walk is, as a chain on the stack; spelled out only for an error.
struct Trail {
  const Trail* parent;
  const FieldDescriptor* field;
  int index;  // -1 for a singular field.
};

// "call.reasons[2]".
std::string PathOf(const Trail* trail) {
  std::vector<const Trail*> steps;
  for (; trail != nullptr; trail = trail->parent) steps.push_back(trail);
  std::string path;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    if (!path.empty()) path += '.';
    path += (*it)->field->name();
    if ((*it)->index >= 0) absl::StrAppend(&path, "[", (*it)->index, "]");
  }
  return path;
}

absl::Status Invalid(const Trail* trail, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(PathOf(trail), ": ", what));
}

// The ranges of google.protobuf.Timestamp and Duration, and the one rule of
// this API on top: a duration a request carries is a time that has passed (a
// wait), so it is not negative.
bool TimestampInRange(int64_t seconds, int32_t nanos) {
  return seconds >= kMinTimestampSeconds && seconds <= kMaxTimestampSeconds && nanos >= 0 &&
         nanos <= kMaxNanos;
}
bool DurationWellFormed(int64_t seconds, int32_t nanos) {
  return seconds >= -kMaxDurationSeconds && seconds <= kMaxDurationSeconds &&
         nanos >= -kMaxNanos && nanos <= kMaxNanos && !(seconds > 0 && nanos < 0) &&
         !(seconds < 0 && nanos > 0);
}
bool Negative(int64_t seconds, int32_t nanos) { return seconds < 0 || nanos < 0; }

absl::Status CheckTime(const Plan& plan, const Message& m, const Trail* trail) {
  const Reflection* r = m.GetReflection();
  const int64_t seconds = r->GetInt64(m, plan.seconds);
  const int32_t nanos = r->GetInt32(m, plan.nanos);
  if (plan.kind == Plan::kTimestamp) {
    if (!TimestampInRange(seconds, nanos)) {
      return Invalid(trail, "malformed timestamp (outside 0001-01-01..9999-12-31 "
                            "or nanos outside 0..999999999)");
    }
    return absl::OkStatus();
  }
  if (!DurationWellFormed(seconds, nanos)) return Invalid(trail, "malformed duration");
  if (Negative(seconds, nanos)) return Invalid(trail, "must not be negative");
  return absl::OkStatus();
}

absl::Status Check(const Plan& plan, const Message& m, const Trail* trail);

absl::Status CheckValue(const Plan::Field& f, const Message& m, const Trail* trail) {
  const Reflection* r = m.GetReflection();
  if (f.message == nullptr) {
    const int number = trail->index < 0 ? r->GetEnumValue(m, f.field)
                                        : r->GetRepeatedEnumValue(m, f.field, trail->index);
    if (!Defined(f, number)) {
      return Invalid(trail, absl::StrCat("unknown ", f.field->enum_type()->name(),
                                         " value ", number));
    }
    return absl::OkStatus();
  }
  const Message& child = trail->index < 0
                             ? r->GetMessage(m, f.field)
                             : r->GetRepeatedMessage(m, f.field, trail->index);
  return Check(*f.message, child, trail);
}

absl::Status Check(const Plan& plan, const Message& m, const Trail* trail) {
  if (plan.kind == Plan::kTimestamp || plan.kind == Plan::kDuration) {
    return CheckTime(plan, m, trail);
  }
  const Reflection* r = m.GetReflection();
  for (const Plan::Field& f : plan.fields) {
    if (!f.field->is_repeated()) {
      if (!r->HasField(m, f.field)) continue;  // As ListFields: set fields only.
      const Trail here{trail, f.field, -1};
      if (absl::Status s = CheckValue(f, m, &here); !s.ok()) return s;
      continue;
    }
    const int size = r->FieldSize(m, f.field);
    for (int i = 0; i < size; ++i) {
      const Trail here{trail, f.field, i};
      if (absl::Status s = CheckValue(f, m, &here); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

bool TimestampWellFormed(const google::protobuf::Timestamp& t) {
  return TimestampInRange(t.seconds(), t.nanos());
}
bool WaitWellFormed(const google::protobuf::Duration& d) {
  return DurationWellFormed(d.seconds(), d.nanos()) && !Negative(d.seconds(), d.nanos());
}

template <typename Values, typename IsValid>
bool AllValid(const Values& values, IsValid is_valid) {
  for (int v : values) {
    if (!is_valid(v)) return false;
  }
  return true;
}

// The request of every Route call, checked with the generated accessors:
// whether it is all well-formed, the common case, without reflection. When
// it is not, the plan's walk finds the first bad field and words the error.
// The request-checks test compares CheckWellFormed with a reflection walk on
// random requests, so a field this leaves out would show there.
bool AllWellFormed(const v1::RouteRequest& request) {
  if (request.has_evaluation_time() && !TimestampWellFormed(request.evaluation_time())) {
    return false;
  }
  if (!request.has_call()) return true;
  const v1::CallFacts& c = request.call();
  return v1::Department_IsValid(c.department()) && v1::AgentRole_IsValid(c.agent_role()) &&
         AllValid(c.reasons(), v1::Reason_IsValid) &&
         AllValid(c.threats(), v1::Threat_IsValid) &&
         v1::ContractStatus_IsValid(c.servicebench_contract_status()) &&
         v1::ContractStatus_IsValid(c.timx_contract_status()) &&
         (!c.has_live_transfer_queue_wait() || WaitWellFormed(c.live_transfer_queue_wait())) &&
         (!c.has_callback_appointment() || TimestampWellFormed(c.callback_appointment())) &&
         AllValid(c.supervisor_permissions_given(), v1::Permission_IsValid) &&
         AllValid(c.supervisor_permissions_refused(), v1::Permission_IsValid);
}

google::protobuf::Value::KindCase KindOf(v1::ExtensionFactType type) {
  switch (type) {
    case v1::EXTENSION_FACT_TYPE_BOOL: return google::protobuf::Value::kBoolValue;
    case v1::EXTENSION_FACT_TYPE_NUMBER: return google::protobuf::Value::kNumberValue;
    case v1::EXTENSION_FACT_TYPE_STRING: return google::protobuf::Value::kStringValue;
    default: return google::protobuf::Value::KIND_NOT_SET;
  }
}

// What a value is, as an error message shows it: `string ("yes")`.
std::string Describe(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kBoolValue:
      return value.bool_value() ? "bool (true)" : "bool (false)";
    case google::protobuf::Value::kNumberValue:
      return absl::StrCat("number (", value.number_value(), ")");
    case google::protobuf::Value::kStringValue:
      return absl::StrCat("string (\"", ShortPrefix(value.string_value()), "\")");
    case google::protobuf::Value::kStructValue: return "struct";
    case google::protobuf::Value::kListValue: return "list";
    default: return "no value";
  }
}

}  // namespace

absl::Status CheckExtensionFacts(const v1::CallFacts& call,
                                 const DeclaredExtensionFacts& declared) {
  if (declared.empty()) return absl::OkStatus();
  // Map order is unspecified: the first wrong fact by name is reported, so
  // one request always gets one answer.
  const DeclaredExtensionFacts::value_type* wrong = nullptr;
  const google::protobuf::Value* wrong_value = nullptr;
  for (const auto& [name, value] : call.extensions().fields()) {
    auto it = declared.find(name);
    if (it == declared.end() ||
        value.kind_case() == google::protobuf::Value::kNullValue ||
        value.kind_case() == KindOf(it->second.type)) {
      continue;
    }
    if (wrong == nullptr || it->first < wrong->first) {
      wrong = &*it;
      wrong_value = &value;
    }
  }
  if (wrong == nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "call.extensions.", ShortPrefix(wrong->first), ": ",
      wrong->second.plugins.size() == 1 ? "plugin " : "plugins ",
      absl::StrJoin(wrong->second.plugins, ", "),
      wrong->second.plugins.size() == 1 ? " declares" : " declare", " this fact a ",
      ExtensionFactTypeName(wrong->second.type), ", but the request gives a ",
      Describe(*wrong_value)));
}

absl::Status CheckWellFormed(const Message& message) {
  if (const auto* route = dynamic_cast<const v1::RouteRequest*>(&message);
      route != nullptr && AllWellFormed(*route)) {
    return absl::OkStatus();
  }
  static Plans* plans = new Plans();  // Never destroyed: requests may outlive main.
  const Plan& plan = plans->For(message.GetDescriptor());
  if (plan.kind == Plan::kFreeForm) return absl::OkStatus();
  return Check(plan, message, nullptr);
}

}  // namespace escalation::host
