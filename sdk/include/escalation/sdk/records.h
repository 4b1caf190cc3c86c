// Record types: a record a decision requires, declared in the manifest with a
// stable id (Plugin::DeclareRecordType), required by a decision
// (AddRecord) and checked on the task that carries its id (CheckRecordFields).
#ifndef ESCALATION_SDK_RECORDS_H_
#define ESCALATION_SDK_RECORDS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

// One field of a record type, for building a RecordTypeInfo.
struct RecordTypeField {
  std::string name;         // As the target system labels it.
  std::string task_field;   // The Task field, e.g. "exception_type" or "fields.<key>".
  std::string value;        // The required value, when policy fixes one.
  std::string description;  // What goes in it otherwise.
};

v1::RecordTypeInfo MakeRecordType(std::string id, std::string title,
                                  const Rule& rule, v1::TaskSystem system,
                                  v1::TaskKind kind,
                                  const std::vector<RecordTypeField>& fields);

// Appends to `decision` the record `type` describes (its system, kind, fields
// and id) with `when`, citing `rule`, and returns it.
v1::RequiredRecord* AddRecord(const Rule& rule, const v1::RecordTypeInfo& type,
                              absl::string_view when, v1::Decision* decision);

// The text of `task_field` of `task` ("" when empty; a timestamp as its
// seconds; a repeated field joined by ", "); nullopt for a name that is no
// Task field.
std::optional<std::string> TaskFieldText(const v1::Task& task,
                                         absl::string_view task_field);

// Checks `task` against each field of `type`: empty, not the fixed value, not
// among the allowed values: an ERROR on the task field, citing `rule`. A field
// that already has a violation in `response` is left to it.
void CheckRecordFields(const Rule& rule, const v1::RecordTypeInfo& type,
                       const v1::Task& task,
                       v1::PluginValidateResponse* response);

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_RECORDS_H_
