// Readable explanations of the service's answers, for a person at a terminal.
#ifndef ESCALATION_TOOLS_ESCALATIONCTL_PRINTER_H_
#define ESCALATION_TOOLS_ESCALATIONCTL_PRINTER_H_

#include <ostream>
#include <string>

#include "escalation/v1/service.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace escalationctl {

void PrintRoute(const escalation::v1::RouteResponse& response, std::ostream& out);
void PrintValidation(const escalation::v1::ValidateTaskResponse& response,
                     std::ostream& out);
void PrintPlugins(const escalation::v1::ListPluginsResponse& response,
                  std::ostream& out);

// "2026-11-23T15:00:00Z (Mon 10:00 EST)": UTC, then US Eastern local time,
// the zone the policy's hours are stated in.
std::string FormatInstant(const google::protobuf::Timestamp& timestamp);

}  // namespace escalationctl

#endif  // ESCALATION_TOOLS_ESCALATIONCTL_PRINTER_H_
