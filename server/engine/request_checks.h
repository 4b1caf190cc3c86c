// Checks a request before any plugin sees it: every enum value is one the API
// defines, every timestamp and duration is well-formed, no duration (a time
// waited) is negative, and every extension fact a plugin declares has the
// declared type. Errors are INVALID_ARGUMENT naming the field by its path,
// e.g. "call.reasons[2]", "call.extensions.sears_warranty_conversion".
#ifndef ESCALATION_SERVER_ENGINE_REQUEST_CHECKS_H_
#define ESCALATION_SERVER_ENGINE_REQUEST_CHECKS_H_

#include "absl/status/status.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/message.h"
#include "server/registry/plugin_ground.h"

namespace escalation::host {

absl::Status CheckWellFormed(const google::protobuf::Message& message);

// OK when every entry of call.extensions that `declared` names holds a value
// of the declared type (or null: not known); other keys are not checked.
absl::Status CheckExtensionFacts(const v1::CallFacts& call,
                                 const DeclaredExtensionFacts& declared);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_ENGINE_REQUEST_CHECKS_H_
