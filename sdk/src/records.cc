#include "escalation/sdk/records.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"

namespace escalation::sdk {
namespace {

std::string Seconds(bool has, const google::protobuf::Timestamp& t) {
  return has ? absl::StrCat(t.seconds(), "s") : "";
}

std::string StructText(const google::protobuf::Struct& fields,
                       absl::string_view key) {
  auto it = fields.fields().find(std::string(key));
  if (it == fields.fields().end()) return "";
  const google::protobuf::Value& v = it->second;
  switch (v.kind_case()) {
    case google::protobuf::Value::kStringValue: return v.string_value();
    case google::protobuf::Value::kBoolValue: return v.bool_value() ? "true" : "false";
    case google::protobuf::Value::kNumberValue: return absl::StrCat(v.number_value());
    case google::protobuf::Value::kStructValue: return "{...}";
    case google::protobuf::Value::kListValue:
      return v.list_value().values().empty() ? "" : "[...]";
    default: return "";
  }
}

bool HasViolationOn(const v1::PluginValidateResponse& response,
                    absl::string_view field) {
  for (const v1::Violation& v : response.violations()) {
    if (v.field() == field) return true;
  }
  return false;
}

}  // namespace

const v1::RecordTypeInfo& Plugin::DeclareRecordType(v1::RecordTypeInfo type) {
  // RepeatedPtrField keeps each element at its address as elements are added.
  v1::RecordTypeInfo* declared = manifest_.add_record_types();
  *declared = std::move(type);
  return *declared;
}

const v1::RecordTypeInfo* Plugin::FindRecordType(const std::string& id) const {
  for (const v1::RecordTypeInfo& type : manifest_.record_types()) {
    if (type.id() == id) return &type;
  }
  return nullptr;
}

v1::RecordTypeInfo MakeRecordType(std::string id, std::string title,
                                  const Rule& rule, v1::TaskSystem system,
                                  v1::TaskKind kind,
                                  const std::vector<RecordTypeField>& fields) {
  v1::RecordTypeInfo type;
  type.set_id(std::move(id));
  type.set_title(std::move(title));
  type.set_rule_id(rule.id);
  type.set_system(system);
  type.set_kind(kind);
  for (const RecordTypeField& f : fields) {
    v1::RecordField* field = type.add_fields();
    field->set_name(f.name);
    field->set_task_field(f.task_field);
    field->set_value(f.value);
    field->set_description(f.description);
  }
  return type;
}

v1::RequiredRecord* AddRecord(const Rule& rule, const v1::RecordTypeInfo& type,
                              absl::string_view when, v1::Decision* decision) {
  v1::RequiredRecord* record =
      AddRecord(rule, type.system(), type.kind(), when, decision);
  record->set_record_type(type.id());
  *record->mutable_fields() = type.fields();
  return record;
}

std::optional<std::string> TaskFieldText(const v1::Task& task,
                                         absl::string_view name) {
  if (absl::StartsWith(name, "fields.")) {
    return StructText(task.fields(), name.substr(7));
  }
  if (name == "task_id") return task.task_id();
  if (name == "category") return task.category();
  if (name == "resolution_reasons") return absl::StrJoin(task.resolution_reasons(), ", ");
  if (name == "exception_type") return task.exception_type();
  if (name == "exception_status") return task.exception_status();
  if (name == "text") return task.text();
  if (name == "taken_over_by") return task.taken_over_by();
  if (name == "linked_task_ids") return absl::StrJoin(task.linked_task_ids(), ", ");
  if (name == "created_at") return Seconds(task.has_created_at(), task.created_at());
  if (name == "call_ended_at") {
    return Seconds(task.has_call_ended_at(), task.call_ended_at());
  }
  if (name == "callback_scheduled_at") {
    return Seconds(task.has_callback_scheduled_at(), task.callback_scheduled_at());
  }
  return std::nullopt;
}

void CheckRecordFields(const Rule& rule, const v1::RecordTypeInfo& type,
                       const v1::Task& task,
                       v1::PluginValidateResponse* response) {
  Cite(rule, response);
  for (const v1::RecordField& field : type.fields()) {
    const std::string& at = field.task_field();
    if (at.empty() || HasViolationOn(*response, at)) continue;
    const std::string text =
        std::string(absl::StripAsciiWhitespace(TaskFieldText(task, at).value_or("")));
    const std::string what =
        absl::StrCat(field.name(), " (", at, ") of a ", type.id(), " record");
    std::string problem;
    if (text.empty()) {
      problem = absl::StrCat(what, " is empty: ",
                             field.value().empty() ? field.description()
                                                   : absl::StrCat("set it to \"", field.value(), "\"."));
    } else if (!field.value().empty() && text != field.value()) {
      problem = absl::StrCat(what, " must be \"", field.value(), "\", not \"",
                             Quote(text), "\".");
    } else if (!field.allowed_values().empty() &&
               std::find(field.allowed_values().begin(),
                         field.allowed_values().end(),
                         text) == field.allowed_values().end()) {
      problem = absl::StrCat(what, " \"", Quote(text),
                             "\" is not one of its allowed values.");
    }
    if (!problem.empty()) AddViolation(rule, at, problem, v1::ERROR, response);
  }
}

}  // namespace escalation::sdk
