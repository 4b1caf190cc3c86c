// A proposal on its way from the plugin that routed it, through the one that
// admits for its destination, to the merge (route_call.cc).
#ifndef ESCALATION_SERVER_ENGINE_ROUTED_PROPOSAL_H_
#define ESCALATION_SERVER_ENGINE_ROUTED_PROPOSAL_H_

#include <algorithm>
#include <string>

#include "absl/strings/string_view.h"
#include "escalation/v1/plugin.pb.h"
#include "server/plugin/plugin.h"
#include "server/wire/decision_wire.h"
#include "server/wire/proposal_wire.h"

namespace escalation::host {

// A proposal on its way to the merge. Until it must be read whole it is
// its wire bytes in the answer of the plugin that wrote it (the router, or
// the admitter that amended it) and a shell holding what the admits are
// decided by (priority, action, destination).
struct RoutedProposal final : WireProposal {
  v1::Proposal* proposal = nullptr;  // On the decision's arena.
  const Plugin* router = nullptr;
  const Plugin* admitter = nullptr;  // Set once amended.
  // The rules the router's proposal cited, when an admitter amended it: the
  // amended proposal's unstamped rules among them are the router's.
  RuleIds router_rules;
  absl::string_view bytes;   // The proposal's; empty once `proposal` is whole.
  absl::string_view answer;  // The whole answer that carried it.

  bool whole() const { return bytes.empty(); }
  const Plugin& writer() const { return admitter != nullptr ? *admitter : *router; }
  PluginMethod method() const {
    return admitter != nullptr ? PluginMethod::kAdmit : PluginMethod::kRoute;
  }
  const std::string& answer_type() const {
    return admitter != nullptr ? v1::PluginAdmitResponse::descriptor()->full_name()
                               : v1::PluginRouteResponse::descriptor()->full_name();
  }
  absl::string_view proposal_bytes() const override { return bytes; }
  // Who a rule of it that names no plugin is credited to.
  const Plugin& Credit(absl::string_view rule_id) const override {
    if (admitter == nullptr) return *router;
    const bool routers =
        std::find(router_rules.begin(), router_rules.end(), rule_id) != router_rules.end();
    return routers ? *router : *admitter;
  }
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_ENGINE_ROUTED_PROPOSAL_H_
