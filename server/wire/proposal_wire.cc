#include "server/wire/proposal_wire.h"

#include <cstdint>
#include <cstring>

#include "server/wire/wire_reader.h"

namespace escalation::host {
namespace {

using wire::EnumValue;
using wire::Field;
using wire::FieldReader;
using wire::ForEachLength;
using wire::kLength;
using wire::kVarint;

// Field numbers of plugin.proto and decision.proto.
constexpr uint32_t kRouteResponseProposals = v1::PluginRouteResponse::kProposalsFieldNumber;
constexpr uint32_t kProposalDecision = v1::Proposal::kDecisionFieldNumber;
constexpr uint32_t kProposalPriority = v1::Proposal::kPriorityFieldNumber;
constexpr uint32_t kDecisionAction = v1::Decision::kActionFieldNumber;
constexpr uint32_t kDecisionDestination = v1::Decision::kDestinationFieldNumber;
constexpr uint32_t kDecisionMatchedRules = v1::Decision::kMatchedRulesFieldNumber;
constexpr uint32_t kMatchedRuleId = v1::MatchedRule::kRuleIdFieldNumber;
constexpr uint32_t kAdmitRequestProposal = v1::PluginAdmitRequest::kProposalFieldNumber;
constexpr uint32_t kAdmitResponseAmended = v1::PluginAdmitResponse::kAmendedFieldNumber;
constexpr uint32_t kAdmitResponseEdit = v1::PluginAdmitResponse::kEditFieldNumber;

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
      ids.push_back(wire::Last(rule, kMatchedRuleId));
    });
  });
  return ids;
}

bool ReadAdmitAnswer(absl::string_view admit_response, AdmitAnswerWire* answer) {
  *answer = AdmitAnswerWire();
  FieldReader fields(admit_response);
  for (Field f; fields.Next(&f);) {
    if (f.type != kLength) continue;
    if (f.number == kAdmitResponseAmended) {
      answer->amended = f.bytes;
      ++answer->amended_pieces;
    } else if (f.number == kAdmitResponseEdit) {
      answer->edit = f.bytes;
      ++answer->edit_pieces;
    }
  }
  return !fields.broken();
}

absl::string_view WriteAdmitRequest(absl::string_view route_request,
                                    absl::string_view proposal_bytes,
                                    google::protobuf::Arena* arena) {
  const size_t size =
      route_request.size() + wire::LengthFieldSize(kAdmitRequestProposal, proposal_bytes.size());
  char* const bytes = google::protobuf::Arena::CreateArray<char>(arena, size);
  char* at = bytes;
  if (!route_request.empty()) std::memcpy(at, route_request.data(), route_request.size());
  at = wire::WriteLengthHeader(kAdmitRequestProposal, proposal_bytes.size(),
                               at + route_request.size());
  if (!proposal_bytes.empty()) std::memcpy(at, proposal_bytes.data(), proposal_bytes.size());
  return absl::string_view(bytes, size);
}

}  // namespace escalation::host
