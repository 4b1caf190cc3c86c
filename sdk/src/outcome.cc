#include "escalation/sdk/outcome.h"

#include <algorithm>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/records.h"

namespace escalation::sdk {
namespace {

void Remove(const Outcome::Removal& removal, v1::Decision* decision) {
  auto* scripts = decision->mutable_scripts();
  scripts->erase(std::remove_if(scripts->begin(), scripts->end(),
                                [&](const v1::Script& s) {
                                  return !removal.script_id.empty() &&
                                         s.id() == removal.script_id &&
                                         s.rule_id() == removal.rule_id;
                                }),
                 scripts->end());
  auto* rules = decision->mutable_matched_rules();
  rules->erase(std::remove_if(rules->begin(), rules->end(),
                              [&](const v1::MatchedRule& m) {
                                return m.rule_id() == removal.rule_id;
                              }),
               rules->end());
}

}  // namespace

void EmitOutcome(const Rule& rule, const Outcome& outcome, v1::Decision* decision) {
  if (outcome.action) decision->set_action(*outcome.action);
  if (outcome.destination) decision->set_destination(*outcome.destination);
  if (outcome.transfer_mode) decision->set_transfer_mode(*outcome.transfer_mode);
  if (outcome.summary) decision->set_summary(*outcome.summary);
  for (const Outcome::Removal& r : outcome.removals) Remove(r, decision);
  EmitOutcomeTexts(rule, outcome, decision);
}

void EmitOutcomeTexts(const Rule& rule, const Outcome& outcome, v1::Decision* decision) {
  for (const OutcomeScript& s : outcome.scripts) {
    AddScript(s.rule.Or(rule), s.id, s.text, decision);
  }
  for (const OutcomeText& s : outcome.steps) AddStep(s.rule.Or(rule), s.text, decision);
  for (const OutcomeRecord& r : outcome.records) {
    // A type not found fails the load (Plugin::DeclareTable); never reached.
    if (r.type != nullptr) AddRecord(r.rule.Or(rule), *r.type, r.when, decision);
  }
  for (const OutcomeText& n : outcome.notes) AddNote(n.rule.Or(rule), n.text, decision);
  for (const RuleRef& c : outcome.cites) Cite(c.Or(rule), decision);
  if (outcome.scripts.empty() && outcome.steps.empty() && outcome.records.empty() &&
      outcome.notes.empty() && outcome.cites.empty()) {
    Cite(rule, decision);
  }
}

v1::Decision* ProposeOutcome(const Rule& rule, const Outcome& outcome,
                             v1::PluginRouteResponse* response) {
  v1::Decision* decision =
      Propose(outcome.priority.value_or(v1::PRIORITY_UNSPECIFIED), response);
  EmitOutcome(rule, outcome, decision);
  return decision;
}

const Rule* Plugin::FindRule(absl::string_view id) const {
  for (const std::unique_ptr<Rule>& rule : rules_) {
    if (rule->id == id) return rule.get();
  }
  return nullptr;
}

void Plugin::FailLoad(std::string message) {
  if (load_status_.ok()) load_status_ = absl::FailedPreconditionError(message);
}

void Plugin::Resolve(RuleRef& ref, absl::string_view where) {
  if (ref.is_row_rule() || ref.resolved()) return;
  ref.rule_ = FindRule(ref.id());
  if (ref.rule_ == nullptr) {
    FailLoad(absl::StrCat(where, " cites rule id \"", ref.id(),
                          "\", which no declared rule has"));
  }
}

void Plugin::DeclareRow(const Rule& rule, Outcome* outcome) {
  if (FindRule(rule.id) == nullptr) DeclareRule(rule);
  if (outcome == nullptr) return;
  for (const Outcome::Removal& r : outcome->removals) {
    v1::OutputEdit* edit = manifest_.add_output_edits();
    edit->set_rule_id(rule.id);
    edit->set_removes_rule_id(r.rule_id);
    edit->set_removes_script_id(r.script_id);
  }
  const std::string where = absl::StrCat("the outcome of rule \"", rule.id, "\"");
  for (OutcomeScript& s : outcome->scripts) Resolve(s.rule, where);
  for (OutcomeText& s : outcome->steps) Resolve(s.rule, where);
  for (OutcomeText& n : outcome->notes) Resolve(n.rule, where);
  for (RuleRef& c : outcome->cites) Resolve(c, where);
  for (OutcomeRecord& r : outcome->records) {
    Resolve(r.rule, where);
    r.type = FindRecordType(r.type_id);
    if (r.type == nullptr) {
      FailLoad(absl::StrCat(where, " requires record type \"", r.type_id,
                            "\", which the plugin has not declared"));
    }
  }
  outcomes_.push_back({&rule, outcome});
}

}  // namespace escalation::sdk
