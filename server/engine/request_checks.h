// Checks a request before any plugin sees it: every enum value is one the API
// defines, every timestamp and duration is well-formed, no duration (a time
// waited) is negative, and every extension fact a plugin declares has the
// declared type. Errors are INVALID_ARGUMENT naming the field by its path,
// e.g. "call.reasons[2]", "call.extensions.sears_warranty_conversion".
#ifndef ESCALATION_SERVER_ENGINE_REQUEST_CHECKS_H_
#define ESCALATION_SERVER_ENGINE_REQUEST_CHECKS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/message.h"

namespace escalation::host {

absl::Status CheckWellFormed(const google::protobuf::Message& message);

// An extension fact as the loaded plugins declare it (PluginManifest.
// extension_facts): its type, and every plugin that declares it.
struct DeclaredExtensionFact {
  v1::ExtensionFactType type = v1::EXTENSION_FACT_TYPE_UNSPECIFIED;
  std::vector<std::string> plugins;
};
// By fact name.
using DeclaredExtensionFacts = std::map<std::string, DeclaredExtensionFact, std::less<>>;

// OK when every entry of call.extensions that `declared` names holds a value
// of the declared type (or null: not known); other keys are not checked.
absl::Status CheckExtensionFacts(const v1::CallFacts& call,
                                 const DeclaredExtensionFacts& declared);

// "bool", "number", "string" (what a value of `type` is called in errors).
const char* ExtensionFactTypeName(v1::ExtensionFactType type);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_ENGINE_REQUEST_CHECKS_H_
