#include "server/plugin_host/proposal_wire.h"

#include <cstdint>

namespace escalation::host {
namespace {

// Field numbers of plugin.proto and decision.proto.
constexpr uint32_t kRouteResponseProposals = 1;
constexpr uint32_t kProposalDecision = 1;
constexpr uint32_t kProposalPriority = 2;
constexpr uint32_t kDecisionAction = 1;
constexpr uint32_t kDecisionDestination = 2;
constexpr uint32_t kDecisionMatchedRules = 11;
constexpr uint32_t kMatchedRuleId = 1;
constexpr uint32_t kAdmitRequestProposal = 3;

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

struct Field {
  uint32_t number = 0;
  uint32_t type = 0;
  uint64_t varint = 0;      // For kVarint.
  absl::string_view bytes;  // For kLength.
};

// The fields of one message's wire bytes, in order.
class FieldReader {
 public:
  explicit FieldReader(absl::string_view bytes) : at_(bytes.data()), end_(at_ + bytes.size()) {}

  // The next field; false at the end, and when the bytes are broken (then
  // broken() says so). Groups (wire types 3 and 4) count as broken.
  bool Next(Field* field) {
    if (at_ == end_) return false;
    uint64_t tag = 0;
    if (!Varint(&tag) || (tag >> 3) == 0 || (tag >> 3) > UINT32_MAX) return Broke();
    field->number = static_cast<uint32_t>(tag >> 3);
    field->type = static_cast<uint32_t>(tag & 7);
    switch (field->type) {
      case kVarint:
        return Varint(&field->varint) || Broke();
      case kFixed64:
        return Skip(8) || Broke();
      case kFixed32:
        return Skip(4) || Broke();
      case kLength: {
        uint64_t size = 0;
        if (!Varint(&size) || size > static_cast<uint64_t>(end_ - at_) || size > INT32_MAX) {
          return Broke();
        }
        field->bytes = absl::string_view(at_, size);
        at_ += size;
        return true;
      }
      default:
        return Broke();
    }
  }

  bool broken() const { return broken_; }

 private:
  bool Varint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64 && at_ != end_; shift += 7) {
      const auto byte = static_cast<uint8_t>(*at_++);
      *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool Skip(size_t n) {
    if (static_cast<size_t>(end_ - at_) < n) return false;
    at_ += n;
    return true;
  }
  bool Broke() {
    broken_ = true;
    return false;
  }

  const char* at_;
  const char* end_;
  bool broken_ = false;
};

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

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

}  // namespace

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

void AppendAdmitProposal(absl::string_view proposal_bytes, std::string* admit_request) {
  AppendVarint((kAdmitRequestProposal << 3) | kLength, admit_request);
  AppendVarint(proposal_bytes.size(), admit_request);
  admit_request->append(proposal_bytes.data(), proposal_bytes.size());
}

}  // namespace escalation::host
