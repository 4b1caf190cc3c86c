#include "server/plugin_host/decision_wire.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "escalation/v1/service.pb.h"
#include "server/plugin_host/fixed_texts.h"
#include "server/plugin_host/merge.h"
#include "server/plugin_host/utf8.h"
#include "server/plugin_host/wire_reader.h"

namespace escalation::host {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using wire::EnumValue;
using wire::Field;
using wire::FieldReader;
using wire::kLength;
using wire::kVarint;
using wire::Last;
using wire::LastVarint;

constexpr int kMaxDepth = 100;  // protobuf's default recursion limit

// Field numbers of plugin.proto, decision.proto and service.proto.
constexpr uint32_t kProposalDecision = v1::Proposal::kDecisionFieldNumber;
constexpr uint32_t kDecisionAction = v1::Decision::kActionFieldNumber;
constexpr uint32_t kDecisionDestination = v1::Decision::kDestinationFieldNumber;
constexpr uint32_t kDecisionScripts = v1::Decision::kScriptsFieldNumber;
constexpr uint32_t kDecisionSteps = v1::Decision::kStepsFieldNumber;
constexpr uint32_t kDecisionRecords = v1::Decision::kRequiredRecordsFieldNumber;
constexpr uint32_t kDecisionRules = v1::Decision::kMatchedRulesFieldNumber;
constexpr uint32_t kDecisionNotes = v1::Decision::kNotesFieldNumber;
constexpr uint32_t kScriptId = v1::Script::kIdFieldNumber;
constexpr uint32_t kScriptText = v1::Script::kTextFieldNumber;
constexpr uint32_t kStepText = v1::Step::kTextFieldNumber;
constexpr uint32_t kRecordSystem = v1::RequiredRecord::kSystemFieldNumber;
constexpr uint32_t kRecordKind = v1::RequiredRecord::kKindFieldNumber;
constexpr uint32_t kRecordWhen = v1::RequiredRecord::kWhenFieldNumber;
constexpr uint32_t kRecordRuleId = v1::RequiredRecord::kRuleIdFieldNumber;
constexpr uint32_t kRecordType = v1::RequiredRecord::kRecordTypeFieldNumber;
constexpr uint32_t kRuleId = v1::MatchedRule::kRuleIdFieldNumber;
constexpr uint32_t kRulePlugin = v1::MatchedRule::kPluginFieldNumber;
constexpr uint32_t kRulePluginVersion = v1::MatchedRule::kPluginVersionFieldNumber;
constexpr uint32_t kResponseDecision = v1::RouteResponse::kDecisionFieldNumber;
constexpr uint32_t kResponseEvaluationTime = v1::RouteResponse::kEvaluationTimeFieldNumber;

// How each field of a message type is checked, by number: the plan of
// every type a plugin answer can hold, made once from the descriptors.
struct TypePlan;
struct FieldPlan {
  enum Kind : uint8_t { kUnread, kUtf8, kMessage, kNotFollowed };
  Kind kind = kUnread;         // For a field of wire type LEN.
  const TypePlan* nested = nullptr;  // For kMessage.
};
struct TypePlan {
  std::vector<FieldPlan> by_number;  // Past the end: unknown.
};

class Plans {
 public:
  static const Plans& Get() {
    static const Plans* plans = new Plans();
    return *plans;
  }
  // Null for a type no plugin answer holds.
  const TypePlan* Of(const Descriptor& type) const {
    auto it = by_type_.find(&type);
    return it == by_type_.end() ? nullptr : it->second.get();
  }

 private:
  Plans() {
    Add(*v1::PluginRouteResponse::descriptor());
    Add(*v1::PluginAdmitResponse::descriptor());
  }

  const TypePlan* Add(const Descriptor& type) {
    if (auto it = by_type_.find(&type); it != by_type_.end()) return it->second.get();
    TypePlan* plan = by_type_.emplace(&type, std::make_unique<TypePlan>()).first->second.get();
    int largest = 0;
    for (int i = 0; i < type.field_count(); ++i) {
      largest = std::max(largest, type.field(i)->number());
    }
    plan->by_number.resize(std::min(largest, 4096) + 1);
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      if (field.number() > 4096) continue;  // Not in this project's messages.
      FieldPlan& f = plan->by_number[field.number()];
      if (field.is_packable() || field.type() == FieldDescriptor::TYPE_GROUP) {
        f.kind = FieldPlan::kNotFollowed;
      } else if (field.type() == FieldDescriptor::TYPE_STRING) {
        const bool proto3 = field.file()->syntax() == FileDescriptor::SYNTAX_PROTO3;
        f.kind = proto3 ? FieldPlan::kUtf8 : FieldPlan::kUnread;
      } else if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
        f.kind = FieldPlan::kMessage;
        f.nested = Add(*field.message_type());
      }
    }
    return plan;
  }

  absl::flat_hash_map<const Descriptor*, std::unique_ptr<TypePlan>> by_type_;
};

// `citing`: the plan of Decision when its fields may be citations of fixed
// texts (fixed_texts.h), which were checked at load.
bool Check(const TypePlan& plan, absl::string_view bytes, int depth, const TypePlan* citing) {
  if (depth > kMaxDepth) return false;
  FieldReader fields(bytes);
  for (Field f; fields.Next(&f);) {
    // An unknown field, or a known one of another wire type, is kept unread
    // (a number field given packed is not followed).
    if (f.type != kLength || f.number >= plan.by_number.size()) continue;
    const FieldPlan& field = plan.by_number[f.number];
    switch (field.kind) {
      case FieldPlan::kUnread:
        break;
      case FieldPlan::kUtf8:
        if (!IsProtobufUtf8(f.bytes)) return false;
        break;
      case FieldPlan::kMessage: {
        uint32_t cited = 0;
        if (&plan == citing && ReadCitation(f.bytes, &cited)) break;
        if (!Check(*field.nested, f.bytes, depth + 1, citing)) return false;
        break;
      }
      case FieldPlan::kNotFollowed:
        return false;
    }
  }
  return !fields.broken();
}


// The last values given for the string fields `a` and `b`, in one walk.
std::pair<absl::string_view, absl::string_view> LastTwo(absl::string_view message,
                                                        uint32_t a, uint32_t b) {
  std::pair<absl::string_view, absl::string_view> values;
  FieldReader fields(message);
  for (Field f; fields.Next(&f);) {
    if (f.type != kLength) continue;
    if (f.number == a) values.first = f.bytes;
    if (f.number == b) values.second = f.bytes;
  }
  return values;
}


template <typename Items, typename Same>
bool Repeats(const Items& items, Same same) {
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (same(items[i], items[j])) return true;
    }
  }
  return false;
}

// Records are the same when their messages serialize alike (as the merge
// compares them). Two whose scalar fields differ cannot; only two that
// agree on them are parsed to be compared.
bool SameRecord(absl::string_view a, absl::string_view b) {
  if (a == b) return true;
  for (uint32_t number : {kRecordWhen, kRecordRuleId, kRecordType}) {
    if (Last(a, number) != Last(b, number)) return false;
  }
  for (uint32_t number : {kRecordSystem, kRecordKind}) {
    if (LastVarint(a, number) != LastVarint(b, number)) return false;
  }
  v1::RequiredRecord parsed_a, parsed_b;
  return parsed_a.ParseFromArray(a.data(), static_cast<int>(a.size())) &&
         parsed_b.ParseFromArray(b.data(), static_cast<int>(b.size())) &&
         parsed_a.SerializeAsString() == parsed_b.SerializeAsString();
}

// A matched rule as the merge sees it: its id and the plugin it is credited to.
struct Credited {
  absl::string_view bytes;   // The rule's, as it came.
  absl::string_view id;
  const Plugin* stamp;       // Null when the rule names its plugin.
  absl::string_view plugin;  // The plugin it names, or the stamp's name.
};

// What the merge reads of one decision: its lists, each item with its bytes.
struct Lists {
  struct Item {
    absl::string_view bytes, a, b;  // a, b: what the merge compares.
  };
  // Room for a large decision's lists without allocating.
  absl::InlinedVector<Item, 4> scripts, records;
  absl::InlinedVector<Item, 8> notes;
  absl::InlinedVector<Item, 24> steps;
  absl::InlinedVector<Credited, 16> rules;
};

// Function objects rather than functions, so that Repeats and Absorb
// compare inline: a decision's lists are compared item by item.
constexpr auto SameItem = [](const Lists::Item& x, const Lists::Item& y) {
  return x.a == y.a && x.b == y.b;
};
constexpr auto SameRecordItem = [](const Lists::Item& x, const Lists::Item& y) {
  return SameRecord(x.bytes, y.bytes);
};
constexpr auto SameRule = [](const Credited& x, const Credited& y) {
  return x.id == y.id && x.plugin == y.plugin;
};

template <typename Items, typename T, typename Same>
bool Contains(const Items& items, const T& item, Same same) {
  for (const T& kept : items) {
    if (same(kept, item)) return true;
  }
  return false;
}

// One proposal's decision (the one piece it must come in), read.
struct ReadDecision {
  absl::string_view bytes;
  uint64_t action = 0, destination = 0;
  Lists lists;
};

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
  FieldReader fields(d->bytes);
  Lists& l = d->lists;
  for (Field f; fields.Next(&f);) {
    if (f.type == kVarint) {
      if (f.number == kDecisionAction) d->action = f.varint;
      if (f.number == kDecisionDestination) d->destination = f.varint;
      continue;
    }
    if (f.type != kLength) continue;
    switch (f.number) {
      case kDecisionScripts: {
        const auto [id, text] = LastTwo(f.bytes, kScriptId, kScriptText);
        l.scripts.push_back({f.bytes, id, text});
        break;
      }
      case kDecisionSteps:
        l.steps.push_back({f.bytes, Last(f.bytes, kStepText), {}});
        break;
      case kDecisionRecords:
        l.records.push_back({f.bytes, {}, {}});
        break;
      case kDecisionNotes:
        l.notes.push_back({f.bytes, f.bytes, {}});
        break;
      case kDecisionRules: {
        const auto [id, plugin] = LastTwo(f.bytes, kRuleId, kRulePlugin);
        Credited rule{f.bytes, id, nullptr, plugin};
        if (rule.plugin.empty()) {
          rule.stamp = &proposal.Credit(rule.id);
          rule.plugin = rule.stamp->name();
        }
        l.rules.push_back(rule);
        break;
      }
    }
  }
  return !fields.broken();
}

// Appends matched rule `rule` as field `kDecisionRules`, with its credit
// when it names no plugin (written after the rule's own fields, straight
// into `out`).
void AppendRule(const Credited& rule, std::string* out) {
  if (rule.stamp == nullptr) return wire::AppendLength(kDecisionRules, rule.bytes, out);
  const std::string& plugin = rule.stamp->name();
  const std::string& version = rule.stamp->version();
  wire::AppendTag(kDecisionRules, kLength, out);
  wire::AppendVarint(rule.bytes.size() + wire::LengthFieldSize(kRulePlugin, plugin.size()) +
                         wire::LengthFieldSize(kRulePluginVersion, version.size()),
                     out);
  out->append(rule.bytes.data(), rule.bytes.size());
  wire::AppendLength(kRulePlugin, plugin, out);
  wire::AppendLength(kRulePluginVersion, version, out);
}

// Moves what `from` adds to `to` (each item not already there), writing
// each as a field of the decision.
template <typename Items, typename Same, typename Write>
void Absorb(const Items& from, Items* to, Same same, Write write) {
  for (const auto& item : from) {
    if (Contains(*to, item, same)) continue;
    to->push_back(item);
    write(item);
  }
}

// What FitsUnder judges a decision by: its action and destination.
v1::Decision Head(const ReadDecision& d) {
  v1::Decision head;
  head.set_action(static_cast<v1::Action>(EnumValue(d.action)));
  head.set_destination(static_cast<v1::Decision::Destination>(EnumValue(d.destination)));
  return head;
}

}  // namespace

bool ParsesAs(const Descriptor& type, absl::string_view bytes, bool with_citations) {
  const Plans& plans = Plans::Get();
  const TypePlan* plan = plans.Of(type);
  const TypePlan* citing = with_citations ? plans.Of(*v1::Decision::descriptor()) : nullptr;
  return plan != nullptr && Check(*plan, bytes, 0, citing);
}

bool WriteRouteResponse(absl::Span<const WireProposal* const> proposals,
                        const google::protobuf::Timestamp& evaluation_time,
                        RouteResponseBytes* out) {
  if (proposals.empty()) return false;
  absl::InlinedVector<ReadDecision, 2> read(proposals.size());
  for (size_t i = 0; i < proposals.size(); ++i) {
    if (!Read(*proposals[i], &read[i])) return false;
  }
  ReadDecision& winner = read.front();
  // The merge drops the winner's own repeats; a winner with none is left as it is.
  Lists& kept = winner.lists;
  if (Repeats(kept.scripts, SameItem) || Repeats(kept.steps, SameItem) ||
      Repeats(kept.notes, SameItem) || Repeats(kept.records, SameRecordItem) ||
      Repeats(kept.rules, SameRule)) {
    return false;
  }
  const v1::Decision winner_head = Head(winner);

  // The winner's decision as it came, each rule that names no plugin with its
  // credit; then what each proposal that fits under it adds; then a note for
  // each one it outranks.
  out->bytes.clear();
  out->bytes.reserve(winner.bytes.size() + kept.rules.size() * 40 + 64);
  wire::AppendTag(kResponseDecision, kLength, &out->bytes);
  const size_t size_at = out->bytes.size();
  size_t rule = 0;
  FieldReader copy(winner.bytes);
  for (Field f; copy.Next(&f);) {
    if (f.number == kDecisionRules && f.type == kLength) {
      AppendRule(kept.rules[rule++], &out->bytes);
    } else {
      out->bytes.append(f.raw.data(), f.raw.size());
    }
  }
  std::vector<std::string> outranked;
  for (size_t i = 1; i < read.size(); ++i) {
    const Lists& other = read[i].lists;
    if (!FitsUnder(winner_head, Head(read[i]))) {
      std::vector<absl::string_view> ids;
      for (const Credited& r : other.rules) ids.push_back(r.id);
      const v1::Decision head = Head(read[i]);
      outranked.push_back(OutrankedNote(head.action(), head.destination(), ids));
      continue;
    }
    auto field = [&](uint32_t number) {
      return [&out, number](const Lists::Item& item) {
        wire::AppendLength(number, item.bytes, &out->bytes);
      };
    };
    Absorb(other.scripts, &kept.scripts, SameItem, field(kDecisionScripts));
    Absorb(other.steps, &kept.steps, SameItem, field(kDecisionSteps));
    Absorb(other.records, &kept.records, SameRecordItem, field(kDecisionRecords));
    Absorb(other.notes, &kept.notes, SameItem, field(kDecisionNotes));
    Absorb(other.rules, &kept.rules, SameRule,
           [&](const Credited& r) { AppendRule(r, &out->bytes); });
  }
  for (const std::string& note : outranked) wire::AppendLength(kDecisionNotes, note, &out->bytes);
  // The decision's size goes before it, now that it is known.
  std::string size;
  wire::AppendVarint(out->bytes.size() - size_at, &size);
  out->bytes.insert(size_at, size);
  wire::AppendLength(kResponseEvaluationTime, evaluation_time.SerializeAsString(), &out->bytes);

  out->action = winner_head.action();
  out->destination = winner_head.destination();
  // Each rule's id as written; its plugin as credited (the stamp's name, or
  // the one the rule named, in the bytes it came in).
  out->rules.clear();
  for (const Credited& r : kept.rules) out->rules.push_back({r.id, r.plugin});
  return true;
}

}  // namespace escalation::host
