#include "server/plugin_host/merge.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace escalation::host {
namespace {

// Moves the items of `from` to the end of `to`, skipping any whose key was
// seen already.
template <typename Items, typename KeyOf>
void MoveUnique(Items* from, Items* to, KeyOf key_of) {
  std::set<std::string> seen;
  for (const auto& item : *to) seen.insert(key_of(item));
  for (auto& item : *from) {
    if (seen.insert(key_of(item)).second) *to->Add() = std::move(item);
  }
}

void Absorb(v1::Decision* from, v1::Decision* to) {
  MoveUnique(from->mutable_scripts(), to->mutable_scripts(),
             [](const v1::Script& s) { return absl::StrCat(s.id(), "\n", s.text()); });
  MoveUnique(from->mutable_steps(), to->mutable_steps(),
             [](const v1::Step& s) { return s.text(); });
  MoveUnique(from->mutable_required_records(), to->mutable_required_records(),
             [](const v1::RequiredRecord& r) { return r.SerializeAsString(); });
  MoveUnique(from->mutable_notes(), to->mutable_notes(),
             [](const std::string& n) { return n; });
  MoveUnique(from->mutable_matched_rules(), to->mutable_matched_rules(),
             [](const v1::MatchedRule& r) {
               return absl::StrCat(r.plugin(), "\n", r.rule_id());
             });
}

// "TRANSFER to LEADERSHIP_DESK" / "RESOLVE_HERE".
std::string Describe(const v1::Decision& d) {
  std::string what = v1::Action_Name(d.action());
  if (d.destination() != v1::Decision::DESTINATION_UNSPECIFIED) {
    absl::StrAppend(&what, " to ", v1::Decision::Destination_Name(d.destination()));
  }
  return what;
}

std::string OutrankedNote(const v1::Decision& other) {
  std::vector<std::string> ids;
  for (const v1::MatchedRule& r : other.matched_rules()) ids.push_back(r.rule_id());
  return absl::StrCat("Also matched, at lower priority, and not part of this decision: ",
                      Describe(other), " (", absl::StrJoin(ids, ", "), ").");
}

}  // namespace

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

void SortByPriority(std::vector<v1::Proposal>* proposals) {
  std::stable_sort(proposals->begin(), proposals->end(),
                   [](const v1::Proposal& a, const v1::Proposal& b) {
                     return a.priority() > b.priority();
                   });
}

v1::Decision MergeProposals(std::vector<v1::Proposal> proposals) {
  if (proposals.empty()) {
    v1::Decision none;
    none.set_summary("No rule of the loaded policies matched these call facts.");
    return none;
  }
  SortByPriority(&proposals);
  // The winner's action, destination, callback and hours; the lists of every
  // proposal that fits under it, the winner's first.
  v1::Decision lists;
  std::vector<std::string> outranked;
  for (v1::Proposal& proposal : proposals) {
    if (&proposal == &proposals.front() ||
        FitsUnder(proposals.front().decision(), proposal.decision())) {
      Absorb(proposal.mutable_decision(), &lists);
    } else {
      outranked.push_back(OutrankedNote(proposal.decision()));
    }
  }
  v1::Decision* winner = proposals.front().mutable_decision();
  winner->mutable_scripts()->Swap(lists.mutable_scripts());
  winner->mutable_steps()->Swap(lists.mutable_steps());
  winner->mutable_required_records()->Swap(lists.mutable_required_records());
  winner->mutable_notes()->Swap(lists.mutable_notes());
  winner->mutable_matched_rules()->Swap(lists.mutable_matched_rules());
  for (std::string& note : outranked) winner->add_notes(std::move(note));
  return std::move(*winner);
}

}  // namespace escalation::host
