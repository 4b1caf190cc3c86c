#include "escalation/sdk/extension_facts.h"

namespace escalation::sdk {
namespace {

// The call's value of `fact` when it has `kind`, else nullptr.
const google::protobuf::Value* ValueOf(const v1::CallFacts& call,
                                       const v1::ExtensionFactInfo& fact,
                                       google::protobuf::Value::KindCase kind) {
  const auto& fields = call.extensions().fields();
  auto it = fields.find(fact.name());
  if (it == fields.end() || it->second.kind_case() != kind) return nullptr;
  return &it->second;
}

}  // namespace

const v1::ExtensionFactInfo& Plugin::DeclareExtensionFact(v1::ExtensionFactInfo fact) {
  // RepeatedPtrField keeps each element at its address as elements are added.
  v1::ExtensionFactInfo* declared = manifest_.add_extension_facts();
  *declared = std::move(fact);
  return *declared;
}

v1::ExtensionFactInfo MakeExtensionFact(std::string name, v1::ExtensionFactType type,
                                        std::string meaning) {
  v1::ExtensionFactInfo fact;
  fact.set_name(std::move(name));
  fact.set_type(type);
  fact.set_meaning(std::move(meaning));
  return fact;
}

std::optional<bool> ExtensionBool(const v1::CallFacts& call,
                                  const v1::ExtensionFactInfo& fact) {
  const auto* value = ValueOf(call, fact, google::protobuf::Value::kBoolValue);
  return value == nullptr ? std::nullopt : std::optional<bool>(value->bool_value());
}

std::optional<double> ExtensionNumber(const v1::CallFacts& call,
                                      const v1::ExtensionFactInfo& fact) {
  const auto* value = ValueOf(call, fact, google::protobuf::Value::kNumberValue);
  return value == nullptr ? std::nullopt : std::optional<double>(value->number_value());
}

std::optional<std::string> ExtensionString(const v1::CallFacts& call,
                                           const v1::ExtensionFactInfo& fact) {
  const auto* value = ValueOf(call, fact, google::protobuf::Value::kStringValue);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value->string_value());
}

}  // namespace escalation::sdk
