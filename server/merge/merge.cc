#include "server/merge/merge.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace escalation::host {
namespace {

using google::protobuf::RepeatedPtrField;

// The lists are short (a few to a few dozen items), so duplicates are found by
// comparing with what is kept: no keys built, no set, nothing allocated.
template <typename T, typename Same>
bool Contains(const RepeatedPtrField<T>& items, int count, const T& item, Same same) {
  for (int i = 0; i < count; ++i) {
    if (same(items.Get(i), item)) return true;
  }
  return false;
}

// Drops the later of any two items that are the same, keeping the order.
template <typename T, typename Same>
void DropRepeats(RepeatedPtrField<T>* items, Same same) {
  int kept = 0;
  for (int i = 0; i < items->size(); ++i) {
    if (Contains(*items, kept, items->Get(i), same)) continue;
    if (i != kept) items->SwapElements(i, kept);  // [kept, i) holds only repeats.
    ++kept;
  }
  items->DeleteSubrange(kept, items->size() - kept);
}

// Moves the items of `from` to the end of `to`, skipping any already there.
template <typename T, typename Same>
void MoveUnique(RepeatedPtrField<T>* from, RepeatedPtrField<T>* to, Same same) {
  for (T& item : *from) {
    if (!Contains(*to, to->size(), item, same)) *to->Add() = std::move(item);
  }
}

// Two messages are the same when their wire bytes are (as a key made of
// SerializeAsString said), compared without building strings when small.
bool SameBytes(const google::protobuf::MessageLite& a, const google::protobuf::MessageLite& b) {
  const size_t size = a.ByteSizeLong();
  if (size != b.ByteSizeLong()) return false;
  constexpr size_t kOnStack = 1024;
  if (size > kOnStack) return a.SerializeAsString() == b.SerializeAsString();
  uint8_t bytes_a[kOnStack], bytes_b[kOnStack];
  a.SerializeWithCachedSizesToArray(bytes_a);
  b.SerializeWithCachedSizesToArray(bytes_b);
  return std::memcmp(bytes_a, bytes_b, size) == 0;
}

bool SameScript(const v1::Script& a, const v1::Script& b) {
  return a.id() == b.id() && a.text() == b.text();
}
bool SameStep(const v1::Step& a, const v1::Step& b) { return a.text() == b.text(); }
bool SameRecord(const v1::RequiredRecord& a, const v1::RequiredRecord& b) {
  return SameBytes(a, b);
}
bool SameNote(const std::string& a, const std::string& b) { return a == b; }
bool SameRule(const v1::MatchedRule& a, const v1::MatchedRule& b) {
  return a.rule_id() == b.rule_id() && a.plugin() == b.plugin();
}

// The winner's lists, each item once.
void DropRepeats(v1::Decision* winner) {
  DropRepeats(winner->mutable_scripts(), SameScript);
  DropRepeats(winner->mutable_steps(), SameStep);
  DropRepeats(winner->mutable_required_records(), SameRecord);
  DropRepeats(winner->mutable_notes(), SameNote);
  DropRepeats(winner->mutable_matched_rules(), SameRule);
}

void Absorb(v1::Decision* from, v1::Decision* to) {
  MoveUnique(from->mutable_scripts(), to->mutable_scripts(), SameScript);
  MoveUnique(from->mutable_steps(), to->mutable_steps(), SameStep);
  MoveUnique(from->mutable_required_records(), to->mutable_required_records(), SameRecord);
  MoveUnique(from->mutable_notes(), to->mutable_notes(), SameNote);
  MoveUnique(from->mutable_matched_rules(), to->mutable_matched_rules(), SameRule);
}

std::string OutrankedNoteFor(const v1::Decision& other) {
  std::vector<absl::string_view> ids;
  for (const v1::MatchedRule& r : other.matched_rules()) ids.push_back(r.rule_id());
  return OutrankedNote(other.action(), other.destination(), ids);
}

}  // namespace

std::string OutrankedNote(v1::Action action, v1::Decision::Destination destination,
                          absl::Span<const absl::string_view> rule_ids) {
  // "TRANSFER to LEADERSHIP_DESK" / "RESOLVE_HERE".
  std::string what = v1::Action_Name(action);
  if (destination != v1::Decision::DESTINATION_UNSPECIFIED) {
    absl::StrAppend(&what, " to ", v1::Decision::Destination_Name(destination));
  }
  return absl::StrCat("Also matched, at lower priority, and not part of this decision: ",
                      what, " (", absl::StrJoin(rule_ids, ", "), ").");
}

bool FitsUnder(const v1::Decision& winner, const v1::Decision& other) {
  if (other.action() == winner.action() && other.destination() == winner.destination()) {
    return true;
  }
  if (winner.action() == v1::FOLLOW_PROTOCOL) {
    // Each protocol governs its own matter (a risk to a person, an attorney
    // calling); this department's process applies to none of them.
    return other.action() == v1::FOLLOW_PROTOCOL;
  }
  return other.action() == v1::RESOLVE_HERE;
}

void SortByPriority(std::vector<v1::Proposal*>* proposals) {
  std::stable_sort(proposals->begin(), proposals->end(),
                   [](const v1::Proposal* a, const v1::Proposal* b) {
                     return a->priority() > b->priority();
                   });
}

void MergeProposals(const std::vector<v1::Proposal*>& proposals, v1::Decision* merged) {
  merged->Clear();
  if (proposals.empty()) {
    merged->set_summary("No rule of the loaded policies matched these call facts.");
    return;
  }
  std::vector<v1::Proposal*> sorted = proposals;
  SortByPriority(&sorted);
  // The winner's action, destination, callback and hours; the lists of every
  // proposal that fits under it, the winner's first.
  v1::Decision* winner = sorted.front()->mutable_decision();
  DropRepeats(winner);
  std::vector<std::string> outranked;
  for (size_t i = 1; i < sorted.size(); ++i) {
    v1::Decision* other = sorted[i]->mutable_decision();
    if (FitsUnder(*winner, *other)) {
      Absorb(other, winner);
    } else {
      outranked.push_back(OutrankedNoteFor(*other));
    }
  }
  for (std::string& note : outranked) winner->add_notes(std::move(note));
  merged->Swap(winner);
}

}  // namespace escalation::host
