#include "tools/policy_test/tie_check.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace escalation::policy_test {
namespace {

std::string Outcome(const v1::Decision& d) {
  return absl::StrCat(v1::Action_Name(d.action()), " to ",
                      v1::Decision::Destination_Name(d.destination()));
}

}  // namespace

std::optional<std::string> TopPriorityTie(const std::vector<PluginProposals>& answers) {
  int top = -1;
  for (const PluginProposals& a : answers) {
    for (const v1::Proposal& p : a.response.proposals()) top = std::max(top, int{p.priority()});
  }
  // The first top proposal of each plugin, in load order.
  std::vector<std::pair<std::string, std::string>> tied;  // (plugin, outcome)
  for (const PluginProposals& a : answers) {
    for (const v1::Proposal& p : a.response.proposals()) {
      if (p.priority() != top) continue;
      tied.push_back({a.plugin, Outcome(p.decision())});
      break;
    }
  }
  for (size_t i = 1; i < tied.size(); ++i) {
    if (tied[i].second == tied[0].second) continue;
    return absl::StrCat(
        "plugins ", tied[0].first, " (", tied[0].second, ") and ", tied[i].first, " (",
        tied[i].second, ") propose at the same top priority ",
        v1::Priority_Name(static_cast<v1::Priority>(top)),
        " with different outcomes: ", tied[0].first,
        " wins only because plugins of equal priority are ordered by file name");
  }
  return std::nullopt;
}

}  // namespace escalation::policy_test
