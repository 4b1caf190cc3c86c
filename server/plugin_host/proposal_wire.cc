#include "server/plugin_host/proposal_wire.h"

#include <cstdint>

#include "server/plugin_host/wire_reader.h"

namespace escalation::host {
namespace {

using wire::Field;
using wire::FieldReader;
using wire::kLength;
using wire::kVarint;

// Field numbers of plugin.proto and decision.proto.
constexpr uint32_t kRouteResponseProposals = 1;
constexpr uint32_t kProposalDecision = 1;
constexpr uint32_t kProposalPriority = 2;
constexpr uint32_t kDecisionAction = 1;
constexpr uint32_t kDecisionDestination = 2;
constexpr uint32_t kDecisionMatchedRules = 11;
constexpr uint32_t kMatchedRuleId = 1;
constexpr uint32_t kAdmitRequestProposal = 3;
constexpr uint32_t kAdmitResponseAmended = 1;

// An enum field's value as protobuf keeps it: the low 32 bits, as int32.
int32_t EnumValue(uint64_t varint) { return static_cast<int32_t>(static_cast<uint32_t>(varint)); }

bool ReadDecision(absl::string_view bytes, ProposalWire* proposal) {
  FieldReader fields(bytes);
  for (Field f; fields.Next(&f);) {
    if (f.number == kDecisionAction && f.type == kVarint) {
      proposal->action = static_cast<v1::Action>(EnumValue(f.varint));
    } else if (f.number == kDecisionDestination && f.type == kVarint) {
      proposal->destination = static_cast<v1::Decision::Destination>(EnumValue(f.varint));
    }
  }
  return !fields.broken();
}

// The fields `number` of wire type kLength in `bytes`, each in turn.
template <typename Each>
void ForEachLength(absl::string_view bytes, uint32_t number, Each each) {
  FieldReader fields(bytes);
  for (Field f; fields.Next(&f);) {
    if (f.number == number && f.type == kLength) each(f.bytes);
  }
}


}  // namespace

bool ReadProposal(absl::string_view bytes, ProposalWire* proposal) {
  proposal->bytes = bytes;
  FieldReader fields(bytes);
  for (Field f; fields.Next(&f);) {
    if (f.number == kProposalDecision && f.type == kLength) {
      if (!ReadDecision(f.bytes, proposal)) return false;
    } else if (f.number == kProposalPriority && f.type == kVarint) {
      proposal->priority = static_cast<v1::Priority>(EnumValue(f.varint));
    }
  }
  return !fields.broken();
}

bool ReadProposals(absl::string_view route_response, ProposalWires* proposals) {
  proposals->clear();
  FieldReader fields(route_response);
  for (Field f; fields.Next(&f);) {
    if (f.number != kRouteResponseProposals || f.type != kLength) continue;
    if (!ReadProposal(f.bytes, &proposals->emplace_back())) return false;
  }
  return !fields.broken();
}

RuleIds CitedRules(absl::string_view proposal_bytes) {
  RuleIds ids;
  ForEachLength(proposal_bytes, kProposalDecision, [&](absl::string_view decision) {
    ForEachLength(decision, kDecisionMatchedRules, [&](absl::string_view rule) {
      // The last id given is the rule's, as protobuf reads it.
      absl::string_view id;
      ForEachLength(rule, kMatchedRuleId, [&](absl::string_view given) { id = given; });
      ids.push_back(id);
    });
  });
  return ids;
}

bool ReadAmended(absl::string_view admit_response, absl::string_view* amended, int* pieces) {
  *pieces = 0;
  FieldReader fields(admit_response);
  for (Field f; fields.Next(&f);) {
    if (f.number != kAdmitResponseAmended || f.type != kLength) continue;
    *amended = f.bytes;
    ++*pieces;
  }
  return !fields.broken();
}

void AppendAdmitProposal(absl::string_view proposal_bytes, std::string* admit_request) {
  wire::AppendLength(kAdmitRequestProposal, proposal_bytes, admit_request);
}

}  // namespace escalation::host
