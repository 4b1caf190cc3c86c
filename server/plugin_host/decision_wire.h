// A Route answer written from the wire bytes a plugin sent, when the merge
// would leave the decision as it is (a call with a single proposal that
// repeats none of its items): the host then neither parses that answer nor
// serializes the response. It checks the bytes as protobuf's parse would,
// and credits each rule that names no plugin, on the wire.
#ifndef ESCALATION_SERVER_PLUGIN_HOST_DECISION_WIRE_H_
#define ESCALATION_SERVER_PLUGIN_HOST_DECISION_WIRE_H_

#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/descriptor.h"
#include "server/plugin_host/plugin.h"

namespace escalation::host {

// Whether protobuf would parse `bytes` as a `type`: well-formed wire format
// within protobuf's depth limit, every string field UTF-8. False also for
// what this check does not follow (groups, packed fields): the caller then
// parses the bytes, which accepts them or words the error. Only the types
// a plugin answer can hold are known to it.
bool ParsesAs(const google::protobuf::Descriptor& type, absl::string_view bytes);

// The Plugin a matched rule that names none is credited to, by its id.
using RuleCredit = absl::FunctionRef<const Plugin&(absl::string_view rule_id)>;

// A RouteResponse's wire bytes and what the observers read of them.
struct RouteResponseBytes {
  struct Rule {
    // Borrowed from the plugin's answer, and the plugins' names.
    absl::string_view id, plugin;
  };
  std::string bytes;
  v1::Action action = v1::ACTION_UNSPECIFIED;
  v1::Decision::Destination destination = v1::Decision::DESTINATION_UNSPECIFIED;
  absl::InlinedVector<Rule, 16> rules;
};

// Writes RouteResponse{decision, evaluation_time} from the decision of the
// Proposal wire bytes `proposal` (checked with ParsesAs), as the merge of
// that one proposal would: each rule that names no plugin credited as
// `credit` says. False, writing nothing, when the merge would change it:
// it repeats a script, step, record, note or rule, or its decision comes in
// more than one piece.
bool WriteRouteResponse(absl::string_view proposal, RuleCredit credit,
                        const google::protobuf::Timestamp& evaluation_time,
                        RouteResponseBytes* out);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_PLUGIN_HOST_DECISION_WIRE_H_
