#include "server/wire/decision_wire.h"

#include <array>
#include <cstring>
#include <vector>

#include "escalation/v1/service.pb.h"
#include "google/protobuf/wire_format_lite.h"
#include "server/merge/merge_rules.h"
#include "server/wire/type_plans.h"
#include "server/wire/wire_reader.h"

namespace escalation::host {
namespace {

using google::protobuf::internal::WireFormatLite;
using wire::EnumValue;
using wire::Field;
using wire::FieldPlan;
using wire::FieldReader;
using wire::kLength;
using wire::kVarint;
using wire::TypePlan;

// Field numbers of plugin.proto, decision.proto and service.proto.
constexpr uint32_t kProposalDecision = v1::Proposal::kDecisionFieldNumber;
constexpr uint32_t kDecisionAction = v1::Decision::kActionFieldNumber;
constexpr uint32_t kDecisionDestination = v1::Decision::kDestinationFieldNumber;
constexpr uint32_t kDecisionRules = v1::Decision::kMatchedRulesFieldNumber;
constexpr uint32_t kDecisionNotes = v1::Decision::kNotesFieldNumber;
constexpr uint32_t kRulePlugin = v1::MatchedRule::kPluginFieldNumber;
constexpr uint32_t kRulePluginVersion = v1::MatchedRule::kPluginVersionFieldNumber;
constexpr uint32_t kResponseDecision = v1::RouteResponse::kDecisionFieldNumber;
constexpr uint32_t kResponseEvaluationTime = v1::RouteResponse::kEvaluationTimeFieldNumber;

// Whether `bytes` (which passed ParsesAs) are what protobuf serializes for
// the message it parses from them: every field known, in order, each value
// written as protobuf writes it and none a default it leaves out. Then two
// such items are the same message exactly when their bytes are equal.
bool IsCanonical(const TypePlan& plan, absl::string_view bytes) {
  FieldReader fields(bytes);
  uint32_t last = 0;
  for (Field f; fields.Next(&f);) {
    if (f.number >= plan.by_number.size()) return false;
    const FieldPlan& p = plan.by_number[f.number];
    if (p.written == FieldPlan::kNotCanonical) return false;
    if (f.number < last || (f.number == last && !p.repeated)) return false;
    last = f.number;
    const size_t tag_size = WireFormatLite::TagSize(f.number, WireFormatLite::TYPE_BYTES);
    if (p.written == FieldPlan::kLengthValue) {
      if (f.type != kLength ||
          f.raw.size() != tag_size + WireFormatLite::LengthDelimitedSize(f.bytes.size())) {
        return false;
      }
      if (p.nested != nullptr) {
        if (!IsCanonical(*p.nested, f.bytes)) return false;
      } else if (f.bytes.empty() && !p.kept_if_default) {
        return false;
      }
      continue;
    }
    // An int32 is written sign-extended to 64 bits; a bool as 0 or 1.
    const uint64_t written = p.written == FieldPlan::kBoolValue
                                 ? uint64_t{f.varint != 0}
                                 : static_cast<uint64_t>(int64_t{EnumValue(f.varint)});
    if (f.type != kVarint || f.varint != written ||
        f.raw.size() != tag_size + WireFormatLite::UInt64Size(f.varint) ||
        (f.varint == 0 && !p.kept_if_default)) {
      return false;
    }
  }
  return !fields.broken();
}

// The last values given for string fields `numbers` (0: none), in one walk.
ItemKey LastValues(absl::string_view message, const std::array<int, 2>& numbers) {
  ItemKey key;
  FieldReader fields(message);
  for (Field f; fields.Next(&f);) {
    if (f.type != kLength) continue;
    if (f.number == static_cast<uint32_t>(numbers[0])) key.values[0] = f.bytes;
    if (f.number == static_cast<uint32_t>(numbers[1])) key.values[1] = f.bytes;
  }
  return key;
}

constexpr int kRules = [] {
  for (int l = 0; l < kMergedListCount; ++l) {
    if (kMergedLists[l].number == static_cast<int>(kDecisionRules)) return l;
  }
  return -1;
}();
static_assert(kRules >= 0, "the merge joins the matched rules");

// MergedListIndex of each Decision field number below its size (-1: none),
// looked up for every field of every proposal.
constexpr std::array<int8_t, 16> kListOfField = [] {
  std::array<int8_t, 16> list{};
  for (int8_t& l : list) l = -1;
  for (int l = 0; l < kMergedListCount; ++l) {
    list.at(kMergedLists[l].number) = static_cast<int8_t>(l);
  }
  return list;
}();

// One proposal's decision (the one piece it must come in), read: its head
// and, for each list the merge joins, its items.
struct ReadDecision {
  // User-provided, so that a value-initialized one (as InlinedVector's
  // sized constructor makes them) is not first zeroed whole: 4.5 kB each.
  ReadDecision() {}
  struct Item {
    absl::string_view bytes;  // As it came.
    absl::string_view raw;    // The whole field: tag, size and `bytes`.
    ItemKey key;
    const Plugin* stamp = nullptr;  // For a rule that names no plugin: its credit.
    size_t written_size = 0;        // For a rule: its size as written, with its credit.
  };
  absl::string_view bytes;
  DecisionHead head;
  std::array<absl::InlinedVector<Item, 16>, kMergedListCount> lists;
};

// False when the decision is not in one piece, or an item the merge
// compares whole is not as protobuf writes it: the caller parses it.
bool Read(const WireProposal& proposal, ReadDecision* d) {
  int pieces = 0;
  FieldReader proposal_fields(proposal.proposal_bytes());
  for (Field f; proposal_fields.Next(&f);) {
    if (f.number == kProposalDecision && f.type == kLength) {
      d->bytes = f.bytes;
      ++pieces;
    }
  }
  if (pieces != 1 || proposal_fields.broken()) return false;
  const TypePlan& plan = wire::DecisionPlan();
  FieldReader fields(d->bytes);
  for (Field f; fields.Next(&f);) {
    if (f.type == kVarint) {
      if (f.number == kDecisionAction) {
        d->head.action = static_cast<v1::Action>(EnumValue(f.varint));
      }
      if (f.number == kDecisionDestination) {
        d->head.destination = static_cast<v1::Decision::Destination>(EnumValue(f.varint));
      }
      continue;
    }
    if (f.type != kLength) continue;
    const int l = f.number < kListOfField.size() ? kListOfField[f.number] : -1;
    if (l < 0) continue;
    ReadDecision::Item item{f.bytes, f.raw, {}, nullptr, f.bytes.size()};
    const MergedList& list = kMergedLists[l];
    if (list.same_by[0] != 0) {
      item.key = LastValues(f.bytes, list.same_by);
    } else {
      const TypePlan* nested = plan.by_number[f.number].nested;
      if (nested != nullptr && !IsCanonical(*nested, f.bytes)) return false;
      item.key.values[0] = f.bytes;
    }
    if (l == kRules && item.key.values[1].empty()) {
      item.stamp = &proposal.Credit(item.key.values[0]);
      item.key.values[1] = item.stamp->name();
      item.written_size += wire::LengthFieldSize(kRulePlugin, item.stamp->name().size()) +
                           wire::LengthFieldSize(kRulePluginVersion, item.stamp->version().size());
    }
    d->lists[l].push_back(item);
  }
  return !fields.broken();
}

size_t RuleFieldSize(const ReadDecision::Item& rule) {
  return wire::LengthFieldSize(kDecisionRules, rule.written_size);
}

// Appends to a string through a small buffer, so that the many short pieces
// of a response (tags, sizes, credits) take one append of the string.
class Appender {
 public:
  explicit Appender(std::string* out) : out_(out) {}

  void Append(absl::string_view bytes) {
    if (bytes.size() > kLong) {
      Flush();
      out_->append(bytes.data(), bytes.size());
      return;
    }
    if (bytes.size() > sizeof(buffer_) - used_) Flush();
    if (!bytes.empty()) std::memcpy(buffer_ + used_, bytes.data(), bytes.size());
    used_ += bytes.size();
  }
  // The tag and size of a length-delimited field.
  void AppendLengthHeader(uint32_t number, size_t size) {
    if (sizeof(buffer_) - used_ < kMaxHeader) Flush();
    used_ = wire::WriteLengthHeader(number, size, buffer_ + used_) - buffer_;
  }
  void AppendLength(uint32_t number, absl::string_view bytes) {
    AppendLengthHeader(number, bytes.size());
    Append(bytes);
  }
  void Flush() {
    out_->append(buffer_, used_);
    used_ = 0;
  }

 private:
  static constexpr size_t kMaxHeader = 5 + 10;  // A tag and a size.
  static constexpr size_t kLong = 256;          // Appended straight to the string.
  std::string* out_;
  char buffer_[4 * kLong];
  size_t used_ = 0;
};

// Appends matched rule `rule` as field `kDecisionRules`, with its credit
// when it names no plugin (after the rule's own fields).
void AppendRule(const ReadDecision::Item& rule, Appender& out) {
  out.AppendLengthHeader(kDecisionRules, rule.written_size);
  out.Append(rule.bytes);
  if (rule.stamp == nullptr) return;
  out.AppendLength(kRulePlugin, rule.stamp->name());
  out.AppendLength(kRulePluginVersion, rule.stamp->version());
}

// Appends RouteResponse field evaluation_time: `t` as protobuf serializes it
// (fields that are zero left out). False, appending nothing, when `t` holds
// unknown fields, which protobuf writes too.
bool AppendTimestamp(const google::protobuf::Timestamp& t, Appender& out) {
  using google::protobuf::Timestamp;
  const size_t size = (t.seconds() != 0 ? 1 + WireFormatLite::Int64Size(t.seconds()) : 0) +
                      (t.nanos() != 0 ? 1 + WireFormatLite::Int32Size(t.nanos()) : 0);
  if (t.ByteSizeLong() != size) return false;
  char field[32];
  char* header_end = wire::WriteLengthHeader(kResponseEvaluationTime, size, field);
  auto* at = reinterpret_cast<uint8_t*>(header_end);
  if (t.seconds() != 0) {
    at = WireFormatLite::WriteInt64ToArray(Timestamp::kSecondsFieldNumber, t.seconds(), at);
  }
  if (t.nanos() != 0) {
    at = WireFormatLite::WriteInt32ToArray(Timestamp::kNanosFieldNumber, t.nanos(), at);
  }
  out.Append(absl::string_view(field, reinterpret_cast<char*>(at) - field));
  return true;
}

// The proposals as the merge's walk sees them (merge_rules.h): the winner
// is written as it came, so a repeat of its own ends the walk; what joins
// it is kept, in order, to be written after it.
class WireView {
 public:
  struct Joined {
    const ReadDecision::Item* item;
    int list;
  };
  explicit WireView(absl::Span<const ReadDecision> read) : read_(read) {}

  DecisionHead Head(size_t p) const { return read_[p].head; }
  size_t ItemCount(size_t p, int l) const { return read_[p].lists[l].size(); }
  ItemKey Key(size_t p, int l, size_t i) const { return read_[p].lists[l][i].key; }
  absl::InlinedVector<absl::string_view, 8> RuleIds(size_t p) const {
    absl::InlinedVector<absl::string_view, 8> ids;
    for (const ReadDecision::Item& rule : read_[p].lists[kRules]) ids.push_back(rule.key.values[0]);
    return ids;
  }
  bool DropRepeat(int, size_t) { return false; }
  void Join(size_t p, int l, size_t i) { joined_.push_back({&read_[p].lists[l][i], l}); }

  absl::Span<const Joined> joined() const { return joined_; }

 private:
  absl::Span<const ReadDecision> read_;
  absl::InlinedVector<Joined, 16> joined_;
};

size_t JoinedSize(const WireView::Joined& j) {
  if (j.list == kRules) return RuleFieldSize(*j.item);
  const auto number = static_cast<uint32_t>(kMergedLists[j.list].number);
  return wire::LengthFieldSize(number, j.item->bytes.size());
}
void AppendJoined(const WireView::Joined& j, Appender& out) {
  if (j.list == kRules) return AppendRule(*j.item, out);
  out.AppendLength(static_cast<uint32_t>(kMergedLists[j.list].number), j.item->bytes);
}

// Whether the winner's rule is written other than as it came: with its
// credit, or with its tag and size as protobuf writes them.
bool Rewritten(const ReadDecision::Item& rule) {
  return rule.stamp != nullptr || RuleFieldSize(rule) != rule.raw.size();
}

}  // namespace

bool WriteRouteResponse(absl::Span<const WireProposal* const> proposals,
                        const google::protobuf::Timestamp& evaluation_time,
                        RouteResponseBytes* out) {
  if (proposals.empty()) return false;
  absl::InlinedVector<ReadDecision, 2> read(proposals.size());
  for (size_t i = 0; i < proposals.size(); ++i) {
    if (!Read(*proposals[i], &read[i])) return false;
  }
  const ReadDecision& winner = read.front();
  WireView view(read);
  KeptItems kept;
  std::vector<std::string> outranked;
  if (!WalkMerge(view, read.size(), &kept, &outranked)) {
    out->bytes.clear();
    return false;
  }

  // The winner's decision as it came, each rule that names no plugin with its
  // credit; then what each proposal that fits under it adds; then a note for
  // each one it outranks. Sized first, so that the decision's size can go
  // before it and the buffer is allocated once.
  size_t decision_size = winner.bytes.size();
  for (const ReadDecision::Item& rule : winner.lists[kRules]) {
    decision_size = decision_size - rule.raw.size() + RuleFieldSize(rule);
  }
  for (const WireView::Joined& j : view.joined()) decision_size += JoinedSize(j);
  for (const std::string& note : outranked) {
    decision_size += wire::LengthFieldSize(kDecisionNotes, note.size());
  }
  out->bytes.clear();
  out->bytes.reserve(wire::LengthFieldSize(kResponseDecision, decision_size) +
                     wire::LengthFieldSize(kResponseEvaluationTime, 22));
  Appender append(&out->bytes);
  append.AppendLengthHeader(kResponseDecision, decision_size);
  const char* copied = winner.bytes.data();  // The end of what is written of the winner.
  for (const ReadDecision::Item& rule : winner.lists[kRules]) {
    if (!Rewritten(rule)) continue;
    append.Append(absl::string_view(copied, rule.raw.data() - copied));
    AppendRule(rule, append);
    copied = rule.raw.data() + rule.raw.size();
  }
  append.Append(absl::string_view(copied, winner.bytes.data() + winner.bytes.size() - copied));
  for (const WireView::Joined& j : view.joined()) AppendJoined(j, append);
  for (const std::string& note : outranked) append.AppendLength(kDecisionNotes, note);
  if (!AppendTimestamp(evaluation_time, append)) {
    append.AppendLength(kResponseEvaluationTime, evaluation_time.SerializeAsString());
  }
  append.Flush();

  out->action = winner.head.action;
  out->destination = winner.head.destination;
  // Each rule's id as written; its plugin as credited (the stamp's name, or
  // the one the rule named, in the bytes it came in).
  out->rules.clear();
  for (const ItemKey& r : kept[kRules]) out->rules.push_back({r.values[0], r.values[1]});
  return true;
}

}  // namespace escalation::host
