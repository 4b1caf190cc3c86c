// Checks a request before any plugin sees it: every enum value is one the API
// defines, every timestamp and duration is well-formed, and no duration (a
// time waited) is negative. Errors are
// INVALID_ARGUMENT naming the field by its path, e.g. "call.reasons[2]".
#ifndef ESCALATION_SERVER_PLUGIN_HOST_REQUEST_CHECKS_H_
#define ESCALATION_SERVER_PLUGIN_HOST_REQUEST_CHECKS_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace escalation::host {

absl::Status CheckWellFormed(const google::protobuf::Message& message);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_PLUGIN_HOST_REQUEST_CHECKS_H_
