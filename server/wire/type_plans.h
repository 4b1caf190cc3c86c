// How the host checks the wire bytes of a plugin answer without parsing
// them: a plan of each message type an answer can hold, made once from the
// descriptors, by field number. ParsesAs (decision_wire.h) walks the bytes
// by it, and WriteRouteResponse finds by it whether an item is as protobuf
// would write it.
#ifndef ESCALATION_SERVER_WIRE_TYPE_PLANS_H_
#define ESCALATION_SERVER_WIRE_TYPE_PLANS_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace escalation::host::wire {

// How each field of a message type is checked, by number.
struct TypePlan;
struct FieldPlan {
  enum Kind : uint8_t { kUnread, kUtf8, kMessage, kNotFollowed };
  Kind kind = kUnread;         // For a field of wire type LEN.
  const TypePlan* nested = nullptr;  // For kMessage.
  // Null: not a field of the type.
  const google::protobuf::FieldDescriptor* field = nullptr;
  // How IsCanonical takes its value, read from `field` once (kNotCanonical
  // also when there is no field).
  enum Written : uint8_t { kNotCanonical, kLengthValue, kInt32Value, kBoolValue };
  Written written = kNotCanonical;
  bool repeated = false;
  bool kept_if_default = false;  // Repeated or with presence.
};
struct TypePlan {
  std::vector<FieldPlan> by_number;  // Past the end: unknown.
  // Where an answer's citations are (fixed_texts.h): a Proposal, an edit and their
  // Decision lead to them, a Decision's fields may be them.
  bool leads_to_citations = false;
  bool may_cite = false;
};

// The plan of `type`; null for a type no plugin answer holds.
const TypePlan* PlanOf(const google::protobuf::Descriptor& type);
// The plan of escalation.v1.Decision.
const TypePlan& DecisionPlan();

}  // namespace escalation::host::wire

#endif  // ESCALATION_SERVER_WIRE_TYPE_PLANS_H_
