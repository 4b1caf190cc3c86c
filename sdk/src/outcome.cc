#include "escalation/sdk/outcome.h"

#include <algorithm>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/field_mask.pb.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/records.h"
#include "fixed_access.h"
#include "kept_answers.h"

namespace escalation::sdk {

namespace {


// The one piece `write` puts in a decision, without the citation of its rule
// that the Add* helpers append (Cite appends that per call).
template <typename Write>
v1::Decision Piece(Write write) {
  v1::Decision piece;
  write(&piece);
  piece.clear_matched_rules();
  return piece;
}

// The fixed piece to emit for an outcome declared for `rule`, or null (the
// caller writes the text).
const FixedDecision* FixedFor(const Rule& rule, const Outcome& outcome,
                              const FixedDecision* fixed) {
  return outcome.fixed_for == &rule ? fixed : nullptr;
}

// Emits `fixed` and cites `rule`, as the Add* helper that made it would;
// an item `covered` by the text before it cites its rule only.
void EmitFixedCiting(const FixedDecision& fixed, const Rule& rule, v1::Decision* decision,
                     bool covered = false) {
  if (!covered) EmitFixed(fixed, decision);
  FixedAccess::Cite(rule, FixedAccess::CitedRule(rule, fixed), decision);
}

// Appends `value` to `list` unless it holds it.
void AddOnce(absl::string_view value, google::protobuf::RepeatedPtrField<std::string>* list) {
  if (std::find(list->begin(), list->end(), value) == list->end()) {
    list->Add()->assign(value.data(), value.size());
  }
}

// Names `field` (of Decision) in `resets`, once; a null `resets` names none.
void AddReset(absl::string_view field, google::protobuf::FieldMask* resets) {
  if (resets != nullptr) AddOnce(field, resets->mutable_paths());
}

// Sets the fields `outcome` sets on `decision`; each set to its default is
// named in `resets`, when given (a default is not written, so an edit merged
// into a proposal could not carry it).
void SetOutcomeFields(const Rule& rule, const Outcome& outcome, v1::Decision* decision,
                      google::protobuf::FieldMask* resets) {
  if (outcome.action) {
    decision->set_action(*outcome.action);
    if (*outcome.action == v1::ACTION_UNSPECIFIED) AddReset("action", resets);
  }
  if (outcome.destination) {
    decision->set_destination(*outcome.destination);
    if (*outcome.destination == v1::Decision::DESTINATION_UNSPECIFIED) {
      AddReset("destination", resets);
    }
  }
  if (outcome.transfer_mode) {
    decision->set_transfer_mode(*outcome.transfer_mode);
    if (*outcome.transfer_mode == v1::TRANSFER_MODE_UNSPECIFIED) {
      AddReset("transfer_mode", resets);
    }
  }
  if (outcome.summary) {
    if (const FixedDecision* f = FixedFor(rule, outcome, outcome.fixed_summary)) {
      EmitFixed(*f, decision);
    } else {
      decision->set_summary(*outcome.summary);
      if (outcome.summary->empty()) AddReset("summary", resets);
    }
  }
}

}  // namespace

void RemoveOutput(absl::string_view rule_id, absl::string_view script_id,
                  v1::Decision* decision) {
  auto* scripts = decision->mutable_scripts();
  scripts->erase(std::remove_if(scripts->begin(), scripts->end(),
                                [&](const v1::Script& s) {
                                  return !script_id.empty() && s.id() == script_id &&
                                         s.rule_id() == rule_id;
                                }),
                 scripts->end());
  auto* rules = decision->mutable_matched_rules();
  rules->erase(std::remove_if(rules->begin(), rules->end(),
                              [&](const v1::MatchedRule& m) { return m.rule_id() == rule_id; }),
               rules->end());
}

void EmitOutcome(const Rule& rule, const Outcome& outcome, SlotText fill,
                 v1::Decision* decision) {
  for (const Outcome::Removal& r : outcome.removals) RemoveOutput(r.rule_id, r.script_id, decision);
  SetOutcomeFields(rule, outcome, decision, nullptr);
  EmitOutcomeTexts(rule, outcome, fill, decision);
}

#ifndef ESCALATION_SDK_ABI_1_0  // ProposalEdit came with ABI 1.2.
void EmitOutcomeEdit(const Rule& rule, const Outcome& outcome, SlotText fill,
                     v1::ProposalEdit* edit) {
  if (!outcome.removals.empty()) AddOnce(rule.id, edit->mutable_output_edits_by());
  v1::Decision* decision = KeptAnswers::DecisionOf(edit);
  SetOutcomeFields(rule, outcome, decision, edit->mutable_resets());
  EmitOutcomeTexts(rule, outcome, fill, decision);
}
#endif

void EmitOutcomeTexts(const Rule& rule, const Outcome& outcome, SlotText fill,
                      v1::Decision* decision) {
  for (const OutcomeScript& s : outcome.scripts) {
    if (const FixedDecision* f = FixedFor(rule, outcome, s.fixed)) {
      EmitFixedCiting(*f, s.rule.Or(rule), decision);
    } else {
      AddScript(s.rule.Or(rule), s.id, s.slot ? fill(s.text) : s.text, decision);
    }
  }
  for (const OutcomeText& s : outcome.steps) {
    if (const FixedDecision* f = FixedFor(rule, outcome, s.fixed)) {
      EmitFixedCiting(*f, s.rule.Or(rule), decision, s.covered);
    } else {
      AddStep(s.rule.Or(rule), s.slot ? fill(s.text) : s.text, decision);
    }
  }
  for (const OutcomeRecord& r : outcome.records) {
    if (const FixedDecision* f = FixedFor(rule, outcome, r.fixed)) {
      EmitFixedCiting(*f, r.rule.Or(rule), decision);
    } else if (r.type != nullptr) {
      // A type not found fails the load (Plugin::DeclareTable).
      AddRecord(r.rule.Or(rule), *r.type, r.when, decision);
    }
  }
  for (const OutcomeText& n : outcome.notes) {
    if (const FixedDecision* f = FixedFor(rule, outcome, n.fixed)) {
      EmitFixedCiting(*f, n.rule.Or(rule), decision, n.covered);
    } else {
      AddNote(n.rule.Or(rule), n.slot ? fill(n.text) : n.text, decision);
    }
  }
  for (const RuleRef& c : outcome.cites) Cite(c.Or(rule), decision);
  if (outcome.scripts.empty() && outcome.steps.empty() && outcome.records.empty() &&
      outcome.notes.empty() && outcome.cites.empty()) {
    Cite(rule, decision);
  }
}

void EmitOutcome(const Rule& rule, const Outcome& outcome, v1::Decision* decision) {
  EmitOutcome(rule, outcome, [](absl::string_view) { return std::string(); }, decision);
}

v1::Decision* ProposeOutcome(const Rule& rule, const Outcome& outcome,
                             v1::PluginRouteResponse* response) {
  v1::Decision* decision =
      Propose(outcome.priority.value_or(v1::PRIORITY_UNSPECIFIED), response);
  EmitOutcome(rule, outcome, decision);
  return decision;
}

bool HasSlots(const Outcome& outcome) {
  for (const OutcomeScript& s : outcome.scripts) {
    if (s.slot) return true;
  }
  for (const auto* texts : {&outcome.steps, &outcome.notes}) {
    for (const OutcomeText& t : *texts) {
      if (t.slot) return true;
    }
  }
  return false;
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

void Plugin::DeclareOnce(const Rule& rule) {
  if (FindRule(rule.id) == nullptr) DeclareRule(rule);
}

void Plugin::DeclareOutcome(const Rule& rule, Outcome* outcome, bool has_fill) {
  const std::string where = absl::StrCat("the outcome of rule \"", rule.id, "\"");
  if (HasSlots(*outcome) && !has_fill) {
    FailLoad(absl::StrCat(where, " has a slot, but its row gives no fill"));
  }
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
  if (load_status_.ok()) DeclareFixedTexts(rule, outcome);
  for (const Outcome::Removal& r : outcome->removals) {
    v1::OutputEdit* edit = manifest_.add_output_edits();
    edit->set_rule_id(rule.id);
    edit->set_removes_rule_id(r.rule_id);
    edit->set_removes_script_id(r.script_id);
  }
  outcomes_.push_back({&rule, outcome});
}

void Plugin::DeclareFixedTexts(const Rule& rule, Outcome* outcome) {
  // Each piece as the Add* helper EmitOutcome would otherwise call writes it,
  // with the rule it cites (FixedAccess::Seal finds that rule's matched rule).
  const auto declare = [&](const Rule& cites, auto write) {
    const FixedDecision* fixed = &DeclareFixed(Piece(write));
    fixed_.back()->cites_ = &cites;
    return fixed;
  };
  // An outcome's steps in a row (no slot between them) cross as one text,
  // and so do its notes: no hook reads them back, and every citation costs
  // both the plugin and the host. Steps and notes never share one: a
  // decision is written field by field, so a note inside a step's citation
  // would come before the notes other rows wrote earlier.
  std::vector<OutcomeText*> run;
  v1::Decision run_items;
  const auto close_run = [&] {
    if (run.empty()) return;
    run_items.clear_matched_rules();
    const FixedDecision* fixed = &DeclareFixedItems(std::move(run_items));
    fixed_.back()->cites_ = &run.front()->rule.Or(rule);
    for (size_t i = 0; i < run.size(); ++i) {
      run[i]->fixed = fixed;
      run[i]->covered = i > 0;
    }
    run.clear();
    run_items = v1::Decision();
  };
  for (OutcomeScript& s : outcome->scripts) {
    if (s.slot) continue;
    const Rule& r = s.rule.Or(rule);
    s.fixed = declare(r, [&](v1::Decision* d) { AddScript(r, s.id, s.text, d); });
  }
  // The texts of one list in runs, each item written by `add` (AddStep, AddNote).
  const auto declare_runs = [&](std::vector<OutcomeText>& texts, auto add) {
    for (OutcomeText& t : texts) {
      if (t.slot) {
        close_run();
        continue;
      }
      add(t.rule.Or(rule), t.text, &run_items);
      run.push_back(&t);
    }
    close_run();
  };
  declare_runs(outcome->steps, AddStep);
  for (OutcomeRecord& rec : outcome->records) {
    const Rule& r = rec.rule.Or(rule);
    rec.fixed = declare(r, [&](v1::Decision* d) { AddRecord(r, *rec.type, rec.when, d); });
  }
  declare_runs(outcome->notes, AddNote);
  // An empty summary is no piece (DeclareFixed would refuse it): it is set.
  // The summary cites no rule.
  if (outcome->summary && !outcome->summary->empty()) {
    outcome->fixed_summary =
        &DeclareFixed(Piece([&](v1::Decision* d) { d->set_summary(*outcome->summary); }));
  }
  outcome->fixed_for = &rule;
}

}  // namespace escalation::sdk
