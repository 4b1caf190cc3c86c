#include "tools/escalationctl/request_flags.h"

#include <cmath>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"

namespace escalationctl {
namespace {

namespace v1 = ::escalation::v1;
using ExtensionFacts = std::map<std::string, DeclaredExtensionFact, std::less<>>;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Shorter names for facts whose field names are long, kept as aliases.
const std::map<std::string, std::string>& ShortNames() {
  static const auto* names = new std::map<std::string, std::string>{
      {"queue-wait", "live_transfer_queue_wait"},
      {"servicebench-status", "servicebench_contract_status"},
      {"timx-status", "timx_contract_status"},
  };
  return *names;
}

std::string FlagNameOf(const FieldDescriptor* field) {
  return NormalizeFlagName(field->name());
}

bool IsMessage(const FieldDescriptor* field, absl::string_view full_name) {
  return field->type() == FieldDescriptor::TYPE_MESSAGE &&
         field->message_type()->full_name() == full_name;
}

absl::Status FlagError(absl::string_view flag, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", why));
}

absl::StatusOr<bool> ParseBool(absl::string_view flag, absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return FlagError(flag, absl::StrCat("expected true or false, got '", text, "'"));
}

absl::Status SetEnum(absl::string_view flag, const FieldDescriptor* field,
                     absl::string_view text, Message* message) {
  const auto* reflection = message->GetReflection();
  std::vector<std::string> items;
  if (field->is_repeated()) {
    items = absl::StrSplit(text, ',', absl::SkipWhitespace());
  } else {
    items.emplace_back(text);
  }
  for (std::string item : items) {
    absl::StripAsciiWhitespace(&item);
    std::string name = absl::AsciiStrToUpper(item);
    for (char& c : name) {
      if (c == '-') c = '_';
    }
    const auto* value = field->enum_type()->FindValueByName(name);
    if (value == nullptr || value->number() == 0) {
      std::vector<std::string> accepted;
      for (int i = 1; i < field->enum_type()->value_count(); ++i) {
        accepted.push_back(field->enum_type()->value(i)->name());
      }
      return FlagError(flag, absl::StrCat("unknown value '", item, "'; one of: ",
                                          absl::StrJoin(accepted, ", ")));
    }
    if (field->is_repeated()) {
      reflection->AddEnum(message, field, value);
    } else {
      reflection->SetEnum(message, field, value);
    }
  }
  return absl::OkStatus();
}

absl::Status SetTime(absl::string_view flag, absl::string_view text,
                     Message* timestamp) {
  absl::Time time;
  std::string error;
  if (text == "now") {
    time = absl::Now();
  } else if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return FlagError(flag, absl::StrCat("expected an RFC 3339 time such as "
                                        "2026-11-23T15:00:00Z, got '", text, "'"));
  }
  auto* proto = google::protobuf::DynamicCastToGenerated<google::protobuf::Timestamp>(timestamp);
  const absl::Duration since_epoch = time - absl::UnixEpoch();
  proto->set_seconds(absl::ToInt64Seconds(since_epoch));
  proto->set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(
      since_epoch - absl::Seconds(proto->seconds()))));
  return absl::OkStatus();
}

absl::Status SetDuration(absl::string_view flag, absl::string_view text,
                         Message* duration) {
  absl::Duration parsed;
  if (!absl::ParseDuration(text, &parsed) || parsed < absl::ZeroDuration()) {
    return FlagError(flag, absl::StrCat("expected a duration such as 181s or "
                                        "3m1s, got '", text, "'"));
  }
  auto* proto = google::protobuf::DynamicCastToGenerated<google::protobuf::Duration>(duration);
  proto->set_seconds(absl::ToInt64Seconds(parsed));
  proto->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(parsed - absl::Seconds(proto->seconds()))));
  return absl::OkStatus();
}

// `text` as the type `fact` declares; an error naming the flag, the fact and
// the plugin when it does not convert.
absl::StatusOr<google::protobuf::Value> ConvertByDeclaredType(
    absl::string_view flag, absl::string_view text, const v1::ExtensionFactInfo& fact,
    absl::string_view plugin) {
  auto refuse = [&](absl::string_view type, absl::string_view expected) {
    return FlagError(flag, absl::StrCat("plugin ", plugin, " declares extension fact '",
                                        fact.name(), "' a ", type,
                                        fact.meaning().empty() ? "" : " (",
                                        fact.meaning(), fact.meaning().empty() ? "" : ")",
                                        ": expected ", expected, ", got '", text, "'"));
  };
  google::protobuf::Value value;
  switch (fact.type()) {
    case v1::EXTENSION_FACT_TYPE_BOOL: {
      absl::StatusOr<bool> parsed = ParseBool(flag, text);
      if (!parsed.ok()) return refuse("bool", "true or false");
      value.set_bool_value(*parsed);
      return value;
    }
    case v1::EXTENSION_FACT_TYPE_NUMBER: {
      double number;
      if (!absl::SimpleAtod(text, &number) || !std::isfinite(number)) {
        return refuse("number", "a number");
      }
      value.set_number_value(number);
      return value;
    }
    case v1::EXTENSION_FACT_TYPE_STRING:
      value.set_string_value(std::string(text));
      return value;
    default:
      return refuse(absl::StrCat("value of type ", fact.type()), "a type this tool knows");
  }
}

// Sets KEY=VALUE in the Struct `message`: VALUE converted by the type
// `declared` gives KEY (when it names it), else read as JSON, else a string.
absl::Status SetStructEntry(absl::string_view flag, absl::string_view text,
                            const ExtensionFacts* declared, Message* message) {
  const size_t eq = text.find('=');
  if (eq == absl::string_view::npos || eq == 0) {
    return FlagError(flag, absl::StrCat("expected KEY=VALUE, got '", text, "'"));
  }
  const absl::string_view key = text.substr(0, eq);
  google::protobuf::Value value;
  const std::string json(text.substr(eq + 1));
  const auto fact = declared == nullptr ? ExtensionFacts::const_iterator() : declared->find(key);
  if (declared != nullptr && fact != declared->end()) {
    absl::StatusOr<google::protobuf::Value> converted =
        ConvertByDeclaredType(flag, json, fact->second.fact, fact->second.plugin);
    if (!converted.ok()) return converted.status();
    value = *std::move(converted);
  } else if (!google::protobuf::util::JsonStringToMessage(json, &value).ok()) {
    value.set_string_value(json);  // Not JSON: a plain string.
  }
  auto* proto = google::protobuf::DynamicCastToGenerated<google::protobuf::Struct>(message);
  (*proto->mutable_fields())[std::string(key)] = value;
  return absl::OkStatus();
}

// Any other scalar, through the JSON mapping: {"jsonName": text}.
absl::Status SetViaJson(absl::string_view flag, const FieldDescriptor* field,
                        absl::string_view text, Message* message) {
  std::unique_ptr<Message> parsed(message->New());
  const std::string json = absl::StrCat("{\"", field->json_name(), "\": ",
                                        field->is_repeated() ? "[" : "", text,
                                        field->is_repeated() ? "]" : "", "}");
  if (!google::protobuf::util::JsonStringToMessage(json, parsed.get()).ok()) {
    return FlagError(flag, absl::StrCat("cannot read '", text, "'"));
  }
  message->MergeFrom(*parsed);
  return absl::OkStatus();
}

absl::Status SetField(absl::string_view flag, const FieldDescriptor* field,
                      const std::optional<std::string>& value, bool negated,
                      const ExtensionFacts* extension_facts, Message* message) {
  const auto* reflection = message->GetReflection();
  if (field->type() == FieldDescriptor::TYPE_BOOL && !field->is_repeated()) {
    bool on = true;
    if (value.has_value()) {
      auto parsed = ParseBool(flag, *value);
      if (!parsed.ok()) return parsed.status();
      on = *parsed;
    }
    reflection->SetBool(message, field, negated ? !on : on);
    return absl::OkStatus();
  }
  if (negated) return FlagError(flag, "only a true/false flag takes 'no-'");
  if (!value.has_value()) return FlagError(flag, "needs a value");
  const std::string& text = *value;
  if (field->type() == FieldDescriptor::TYPE_ENUM) {
    return SetEnum(flag, field, text, message);
  }
  if (field->type() == FieldDescriptor::TYPE_STRING) {
    if (field->is_repeated()) {
      reflection->AddString(message, field, text);
    } else {
      reflection->SetString(message, field, text);
    }
    return absl::OkStatus();
  }
  if (IsMessage(field, "google.protobuf.Timestamp")) {
    return SetTime(flag, text, reflection->MutableMessage(message, field));
  }
  if (IsMessage(field, "google.protobuf.Duration")) {
    return SetDuration(flag, text, reflection->MutableMessage(message, field));
  }
  if (IsMessage(field, "google.protobuf.Struct")) {
    const bool extensions = field->full_name() == "escalation.v1.CallFacts.extensions";
    return SetStructEntry(flag, text, extensions ? extension_facts : nullptr,
                          reflection->MutableMessage(message, field));
  }
  if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
    return FlagError(flag, "set this field with --input instead");
  }
  return SetViaJson(flag, field, text, message);
}

std::string WhatItTakes(const FieldDescriptor* field) {
  if (field->type() == FieldDescriptor::TYPE_BOOL) return "[=true|false]";
  if (field->type() == FieldDescriptor::TYPE_ENUM) {
    return field->is_repeated() ? " NAME[,NAME...]" : " NAME";
  }
  if (IsMessage(field, "google.protobuf.Timestamp")) return " RFC3339|now";
  if (IsMessage(field, "google.protobuf.Duration")) return " DURATION";
  if (IsMessage(field, "google.protobuf.Struct")) return " KEY=VALUE";
  return " VALUE";
}

}  // namespace

RequestFlags::RequestFlags(const google::protobuf::Descriptor* request_type,
                           absl::string_view facts_field)
    : facts_field_(request_type->FindFieldByName(std::string(facts_field))),
      evaluation_time_field_(request_type->FindFieldByName("evaluation_time")) {
  const google::protobuf::Descriptor* facts = facts_field_->message_type();
  for (int i = 0; i < facts->field_count(); ++i) {
    const FieldDescriptor* field = facts->field(i);
    const std::string name = FlagNameOf(field);
    fields_[name] = field;
    const bool plural = field->is_repeated() || IsMessage(field, "google.protobuf.Struct");
    if (plural && absl::EndsWith(name, "s")) {
      fields_[name.substr(0, name.size() - 1)] = field;
    }
  }
  for (const auto& [alias, field_name] : ShortNames()) {
    if (const FieldDescriptor* field = facts->FindFieldByName(field_name)) {
      fields_[alias] = field;
    }
  }
  fields_["at"] = evaluation_time_field_;
}

RequestFlags RequestFlags::ForRoute() {
  return RequestFlags(escalation::v1::RouteRequest::descriptor(), "call");
}

RequestFlags RequestFlags::ForValidate() {
  return RequestFlags(escalation::v1::ValidateTaskRequest::descriptor(), "task");
}

const FieldDescriptor* RequestFlags::Find(absl::string_view flag,
                                          bool* negated) const {
  *negated = false;
  if (auto it = fields_.find(std::string(flag)); it != fields_.end()) {
    return it->second;
  }
  if (absl::StartsWith(flag, "no-")) {
    auto it = fields_.find(std::string(flag.substr(3)));
    if (it != fields_.end() && it->second->type() == FieldDescriptor::TYPE_BOOL) {
      *negated = true;
      return it->second;
    }
  }
  return nullptr;
}

bool RequestFlags::Knows(absl::string_view flag) const {
  bool negated;
  return Find(flag, &negated) != nullptr;
}

bool RequestFlags::TakesValue(absl::string_view flag) const {
  bool negated;
  const FieldDescriptor* field = Find(flag, &negated);
  return field != nullptr && field->type() != FieldDescriptor::TYPE_BOOL;
}

absl::Status RequestFlags::Apply(const Flag& flag, Message* request) const {
  bool negated;
  const FieldDescriptor* field = Find(flag.name, &negated);
  if (field == nullptr) return FlagError(flag.name, "unknown flag");
  Message* target =
      field == evaluation_time_field_
          ? request
          : request->GetReflection()->MutableMessage(request, facts_field_);
  return SetField(flag.name, field, flag.value, negated, &extension_facts_, target);
}

bool RequestFlags::SetsExtensions(absl::string_view flag) const {
  bool negated;
  const FieldDescriptor* field = Find(flag, &negated);
  return field != nullptr && field->full_name() == "escalation.v1.CallFacts.extensions";
}

void RequestFlags::DeclareExtensionFacts(const v1::ListPluginsResponse& plugins) {
  for (const v1::PluginInfo& plugin : plugins.plugins()) {
    for (const v1::ExtensionFactInfo& fact : plugin.manifest().extension_facts()) {
      extension_facts_.try_emplace(fact.name(),
                                   DeclaredExtensionFact{fact, plugin.manifest().name()});
    }
  }
}

std::string RequestFlags::Help() const {
  std::string help;
  const google::protobuf::Descriptor* facts = facts_field_->message_type();
  absl::StrAppend(&help, "  --at", WhatItTakes(evaluation_time_field_),
                  "  (evaluation_time; default: the server's clock)\n");
  for (int i = 0; i < facts->field_count(); ++i) {
    const FieldDescriptor* field = facts->field(i);
    std::vector<std::string> names;
    for (const auto& [name, target] : fields_) {
      if (target == field) names.push_back(absl::StrCat("--", name));
    }
    absl::StrAppend(&help, "  ", absl::StrJoin(names, " | "), WhatItTakes(field),
                    field->is_repeated() ? "  (repeatable)" : "", "  (",
                    facts_field_->name(), ".", field->name(), ")\n");
    if (field->type() == FieldDescriptor::TYPE_ENUM) {
      std::vector<std::string> values;
      for (int v = 1; v < field->enum_type()->value_count(); ++v) {
        values.push_back(field->enum_type()->value(v)->name());
      }
      absl::StrAppend(&help, "      ", absl::StrJoin(values, " "), "\n");
    }
  }
  return help;
}

}  // namespace escalationctl
