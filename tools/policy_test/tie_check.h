// Warns of a decision that hangs on plugin order: two plugins whose proposals
// tie at the top priority with different outcomes. The merge then keeps the
// proposal of the plugin loaded first (plugins load in file-name order), which
// is rarely what either department meant (docs/writing-a-plugin.md).
#ifndef ESCALATION_TOOLS_POLICY_TEST_TIE_CHECK_H_
#define ESCALATION_TOOLS_POLICY_TEST_TIE_CHECK_H_

#include <optional>
#include <string>
#include <vector>

#include "escalation/v1/plugin.pb.h"

namespace escalation::policy_test {

// One routing plugin's answer to a call, in load order.
struct PluginProposals {
  std::string plugin;
  v1::PluginRouteResponse response;
};

// The warning, or nullopt when no two plugins tie at the top priority with
// different (action, destination).
std::optional<std::string> TopPriorityTie(const std::vector<PluginProposals>& answers);

}  // namespace escalation::policy_test

#endif  // ESCALATION_TOOLS_POLICY_TEST_TIE_CHECK_H_
