#include "server/plugin_host/merge.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"

namespace escalation::host {
namespace {

// Appends the items of `from` to `to`, skipping any whose key was seen.
template <typename Items, typename KeyOf>
void AppendUnique(const Items& from, Items* to, KeyOf key_of) {
  std::set<std::string> seen;
  for (const auto& item : *to) seen.insert(key_of(item));
  for (const auto& item : from) {
    if (seen.insert(key_of(item)).second) *to->Add() = item;
  }
}

void Absorb(const v1::Decision& from, v1::Decision* to) {
  AppendUnique(from.scripts(), to->mutable_scripts(),
               [](const v1::Script& s) { return absl::StrCat(s.id(), "\n", s.text()); });
  AppendUnique(from.steps(), to->mutable_steps(),
               [](const v1::Step& s) { return s.text(); });
  AppendUnique(from.required_records(), to->mutable_required_records(),
               [](const v1::RequiredRecord& r) { return r.SerializeAsString(); });
  AppendUnique(from.notes(), to->mutable_notes(),
               [](const std::string& n) { return n; });
  AppendUnique(from.matched_rules(), to->mutable_matched_rules(),
               [](const v1::MatchedRule& r) {
                 return absl::StrCat(r.plugin(), "\n", r.rule_id());
               });
}

}  // namespace

v1::Decision MergeProposals(std::vector<v1::Proposal> proposals) {
  if (proposals.empty()) {
    v1::Decision none;
    none.set_summary("No rule of the loaded policies matched these call facts.");
    return none;
  }
  std::stable_sort(proposals.begin(), proposals.end(),
                   [](const v1::Proposal& a, const v1::Proposal& b) {
                     return a.priority() > b.priority();
                   });
  // The winner's action, destination, callback and hours; every proposal's
  // lists, the winner's first.
  v1::Decision merged = proposals.front().decision();
  merged.clear_scripts();
  merged.clear_steps();
  merged.clear_required_records();
  merged.clear_notes();
  merged.clear_matched_rules();
  for (const v1::Proposal& proposal : proposals) {
    Absorb(proposal.decision(), &merged);
  }
  return merged;
}

}  // namespace escalation::host
