// The merge's rules (docs/architecture.md, The merge), written once: which
// lists of a Decision join, when two items of a list are the same, and the
// walk that decides what each proposal keeps. The merge of parsed proposals
// (merge.h) and the merge on their wire bytes (decision_wire.h) each give
// the walk their own view of the proposals and do what it decides.
#ifndef ESCALATION_SERVER_MERGE_MERGE_RULES_H_
#define ESCALATION_SERVER_MERGE_MERGE_RULES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "escalation/v1/decision.pb.h"
#include "google/protobuf/descriptor.h"

namespace escalation::host {

namespace v1 = ::escalation::v1;

// A list of a Decision that the merge joins: the winner's items, each once,
// then what each proposal that fits under the winner adds.
struct MergedList {
  int number;  // The Decision's field.
  // The string fields of an item that say two items are the same (0: none).
  // A list that names none compares whole items: equal strings, or messages
  // that serialize alike.
  std::array<int, 2> same_by;
};

// Every other field of a Decision (supervisor_permissions, and a list added
// later until it is named here) is the winner's alone, as it came.
inline constexpr MergedList kMergedLists[] = {
    {v1::Decision::kScriptsFieldNumber, {v1::Script::kIdFieldNumber, v1::Script::kTextFieldNumber}},
    {v1::Decision::kStepsFieldNumber, {v1::Step::kTextFieldNumber, 0}},
    {v1::Decision::kRequiredRecordsFieldNumber, {0, 0}},
    {v1::Decision::kNotesFieldNumber, {0, 0}},
    {v1::Decision::kMatchedRulesFieldNumber,
     {v1::MatchedRule::kRuleIdFieldNumber, v1::MatchedRule::kPluginFieldNumber}},
};
inline constexpr int kMergedListCount = sizeof(kMergedLists) / sizeof(kMergedLists[0]);

// The Decision's field of kMergedLists[list] (checked once, at first use,
// against v1::Decision's descriptor).
const google::protobuf::FieldDescriptor& MergedListField(int list);
// The index in kMergedLists of Decision field `number`; -1 when it is none.
int MergedListIndex(int number);

// What the same-item test of a list compares of one item: the values of its
// `same_by` fields, as protobuf reads them (a rule's plugin as credited), or
// for a list that compares whole items the item's bytes as protobuf
// serializes them.
struct ItemKey {
  absl::string_view values[2];
};

// Whether two items of one list count as the same.
inline bool SameItem(const ItemKey& a, const ItemKey& b) {
  return a.values[0] == b.values[0] && a.values[1] == b.values[1];
}

// What FitsUnder judges a proposal by.
struct DecisionHead {
  v1::Action action = v1::ACTION_UNSPECIFIED;
  v1::Decision::Destination destination = v1::Decision::DESTINATION_UNSPECIFIED;
};

// Whether `other`'s steps belong in a decision that `winner` wins: it goes the
// same way (same action and destination); or it resolves something here and
// the winner is not a protocol (which replaces this process altogether); or
// both are protocols (each governs its own matter).
bool FitsUnder(DecisionHead winner, DecisionHead other);

// The note that names a proposal the winner outranked: its action,
// destination and rule ids.
std::string OutrankedNote(DecisionHead head, absl::Span<const absl::string_view> rule_ids);

// The keys of the items each list keeps, in order.
using KeptItems = std::array<absl::InlinedVector<ItemKey, 16>, kMergedListCount>;

// The merge of `count` proposals (highest priority first), walked over a
// view of them. `View` has, for proposal p and list l (an index in
// kMergedLists):
//   DecisionHead Head(p);  size_t ItemCount(p, l);  ItemKey Key(p, l, i);
//   absl::InlinedVector<absl::string_view, 8> RuleIds(p);
//   bool DropRepeat(l, i): item i of the winner's list l repeats one before
//       it; false ends the walk (the view cannot drop it);
//   void Join(p, l, i): item i of proposal p's list l joins the winner's.
// The keys a view gives stay valid until the walk ends. Fills `kept` and
// `outranked` (the notes for the proposals the winner outranks, which go
// after everything else); false when DropRepeat said so.
template <typename View>
bool WalkMerge(View& view, size_t count, KeptItems* kept, std::vector<std::string>* outranked) {
  // A bit of each kept key, by its sizes and last byte: a key whose bit is
  // not set in its list's mask is no kept item's, without a comparison.
  std::array<uint64_t, kMergedListCount> masks{};
  auto bit = [](const ItemKey& key) {
    const absl::string_view v = key.values[0];
    const size_t last = v.empty() ? 0 : static_cast<unsigned char>(v.back());
    return uint64_t{1} << ((v.size() * 7 + key.values[1].size() * 3 + last) & 63);
  };
  // Keeps `key` in list `l` unless an item kept there is the same; whether it did.
  auto keep = [&](int l, const ItemKey& key) {
    const uint64_t b = bit(key);
    if ((masks[l] & b) != 0) {
      for (const ItemKey& item : (*kept)[l]) {
        if (SameItem(item, key)) return false;
      }
    }
    masks[l] |= b;
    (*kept)[l].push_back(key);
    return true;
  };
  for (int l = 0; l < kMergedListCount; ++l) {
    (*kept)[l].clear();
    for (size_t i = 0, n = view.ItemCount(0, l); i < n; ++i) {
      if (!keep(l, view.Key(0, l, i)) && !view.DropRepeat(l, i)) return false;
    }
  }
  const DecisionHead winner = view.Head(0);
  for (size_t p = 1; p < count; ++p) {
    const DecisionHead head = view.Head(p);
    if (!FitsUnder(winner, head)) {
      outranked->push_back(OutrankedNote(head, view.RuleIds(p)));
      continue;
    }
    for (int l = 0; l < kMergedListCount; ++l) {
      for (size_t i = 0, n = view.ItemCount(p, l); i < n; ++i) {
        if (keep(l, view.Key(p, l, i))) view.Join(p, l, i);
      }
    }
  }
  return true;
}

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_MERGE_MERGE_RULES_H_
