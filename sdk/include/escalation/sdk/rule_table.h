// One way to write a department's rules: a table, beside its article, of
// {declared rule, condition on the facts, effect on the proposal or result}.
// The same form serves the three hooks: route rules read the call and add
// proposals, admit rules read the call and amend a proposal, validate rules
// read a task and add violations and findings. `Facts` is the plugin's own
// view of one request (the call or task and whatever it is building).
//
//   struct Call { const v1::CallFacts& call; v1::PluginRouteResponse* out; };
//   const std::vector<sdk::RouteRule<Call>> kRules = {
//       {{"my.cancel", "Cancel goes to Retention", "Article title"},
//        [](const Call& c) { return sdk::HasReason(c.call, v1::CANCEL_CONTRACT); },
//        [](const sdk::Rule& rule, Call& c) { /* propose, citing rule */ }}};
//   ... in the constructor: DeclareRules(kRules);  in Route: sdk::Apply(kRules, call);
#ifndef ESCALATION_SDK_RULE_TABLE_H_
#define ESCALATION_SDK_RULE_TABLE_H_

#include <cstdlib>
#include <functional>
#include <vector>

#include "absl/strings/string_view.h"
#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

// One line of a rule table. A rule with no condition is declared (it is in
// the manifest and may be cited) but applied by code elsewhere.
template <typename Facts>
struct TableRule {
  Rule rule;
  std::function<bool(const Facts&)> when;
  std::function<void(const Rule&, Facts&)> then;
};

template <typename Facts>
using RouteRule = TableRule<Facts>;
template <typename Facts>
using AdmitRule = TableRule<Facts>;
template <typename Facts>
using ValidateRule = TableRule<Facts>;

// Applies every rule whose condition holds, in table order.
template <typename Facts>
void Apply(const std::vector<TableRule<Facts>>& table, Facts& facts) {
  for (const TableRule<Facts>& r : table) {
    if (r.when && r.when(facts)) r.then(r.rule, facts);
  }
}

// The rule of the table with `id`; the table must hold it (a programming
// error otherwise: the ids are the table's own).
template <typename Facts>
const Rule& RuleById(const std::vector<TableRule<Facts>>& table, absl::string_view id) {
  for (const TableRule<Facts>& r : table) {
    if (r.rule.id == id) return r.rule;
  }
  std::abort();
}

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_RULE_TABLE_H_
