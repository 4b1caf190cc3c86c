#include "server/merge/merge.h"

#include <algorithm>
#include <deque>
#include <string>
#include <utility>

#include "google/protobuf/message.h"
#include "server/merge/merge_rules.h"

namespace escalation::host {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The parsed proposals as the merge's walk sees them (merge_rules.h), and
// what it decides, done once the walk is over (the walk's keys borrow from
// the items, so nothing moves while it runs).
class ParsedView {
 public:
  explicit ParsedView(const std::vector<v1::Proposal*>& sorted) : sorted_(sorted) {}

  DecisionHead Head(size_t p) const { return HeadOf(decision(p)); }
  size_t ItemCount(size_t p, int l) const {
    return static_cast<size_t>(reflection().FieldSize(decision(p), &MergedListField(l)));
  }
  ItemKey Key(size_t p, int l, size_t i) {
    const FieldDescriptor& field = MergedListField(l);
    const int index = static_cast<int>(i);
    ItemKey key;
    if (field.type() == FieldDescriptor::TYPE_STRING) {
      key.values[0] = reflection().GetRepeatedStringReference(decision(p), &field, index, nullptr);
      return key;
    }
    const Message& item = reflection().GetRepeatedMessage(decision(p), &field, index);
    const std::array<int, 2>& same_by = kMergedLists[l].same_by;
    if (same_by[0] == 0) {
      key.values[0] = serialized_.emplace_back(item.SerializeAsString());
      return key;
    }
    for (int k = 0; k < 2 && same_by[k] != 0; ++k) {
      const FieldDescriptor* by = field.message_type()->FindFieldByNumber(same_by[k]);
      // A generated message's string field is read in place.
      key.values[k] = item.GetReflection()->GetStringReference(item, by, nullptr);
    }
    return key;
  }
  absl::InlinedVector<absl::string_view, 8> RuleIds(size_t p) const {
    absl::InlinedVector<absl::string_view, 8> ids;
    for (const v1::MatchedRule& r : decision(p).matched_rules()) ids.push_back(r.rule_id());
    return ids;
  }
  bool DropRepeat(int l, size_t i) {
    dropped_[l].push_back(static_cast<int>(i));
    return true;
  }
  void Join(size_t p, int l, size_t i) { joined_.push_back({p, l, static_cast<int>(i)}); }

  // Does what the walk decided: drops the winner's repeats, then moves each
  // joining item to the end of the winner's list.
  void Apply() {
    v1::Decision* winner = mutable_decision(0);
    for (int l = 0; l < kMergedListCount; ++l) {
      if (!dropped_[l].empty()) DropAll(dropped_[l], MergedListField(l), winner);
    }
    for (const Joined& j : joined_) {
      const FieldDescriptor& field = MergedListField(j.list);
      v1::Decision* from = mutable_decision(j.proposal);
      if (field.type() == FieldDescriptor::TYPE_STRING) {
        reflection().AddString(winner, &field, reflection().GetRepeatedString(*from, &field, j.item));
      } else {
        Message* item = reflection().MutableRepeatedMessage(from, &field, j.item);
        Message* added = reflection().AddMessage(winner, &field);
        added->GetReflection()->Swap(added, item);
      }
    }
  }

 private:
  struct Joined {
    size_t proposal;
    int list;
    int item;
  };

  // Drops the items at `indexes` (ascending) of list `field`, keeping the
  // order of the rest.
  static void DropAll(const std::vector<int>& indexes, const FieldDescriptor& field,
                      v1::Decision* decision) {
    const int size = reflection().FieldSize(*decision, &field);
    int kept = 0;
    size_t next = 0;
    for (int i = 0; i < size; ++i) {
      if (next < indexes.size() && indexes[next] == i) {
        ++next;
        continue;
      }
      // [kept, i) holds only repeats.
      if (i != kept) reflection().SwapElements(decision, &field, i, kept);
      ++kept;
    }
    for (int i = kept; i < size; ++i) reflection().RemoveLast(decision, &field);
  }

  static const Reflection& reflection() { return *v1::Decision::GetReflection(); }
  const v1::Decision& decision(size_t p) const { return sorted_[p]->decision(); }
  v1::Decision* mutable_decision(size_t p) { return sorted_[p]->mutable_decision(); }

  const std::vector<v1::Proposal*>& sorted_;
  std::deque<std::string> serialized_;  // Keys of whole items (a deque: they stay put).
  std::vector<int> dropped_[kMergedListCount];
  std::vector<Joined> joined_;
};

}  // namespace

DecisionHead HeadOf(const v1::Decision& decision) {
  return {decision.action(), decision.destination()};
}

bool FitsUnder(const v1::Decision& winner, const v1::Decision& other) {
  return FitsUnder(HeadOf(winner), HeadOf(other));
}

void MergeProposals(const std::vector<v1::Proposal*>& proposals, v1::Decision* merged) {
  merged->Clear();
  if (proposals.empty()) {
    merged->set_summary("No rule of the loaded policies matched these call facts.");
    return;
  }
  std::vector<v1::Proposal*> sorted = proposals;
  OrderByPriority(absl::MakeSpan(sorted), [](const v1::Proposal* p) { return p->priority(); });
  // The winner's action, destination, callback and hours; the lists of every
  // proposal that fits under it, the winner's first.
  ParsedView view(sorted);
  KeptItems kept;
  std::vector<std::string> outranked;
  WalkMerge(view, sorted.size(), &kept, &outranked);
  view.Apply();
  v1::Decision* winner = sorted.front()->mutable_decision();
  for (std::string& note : outranked) winner->add_notes(std::move(note));
  merged->Swap(winner);
}

}  // namespace escalation::host
