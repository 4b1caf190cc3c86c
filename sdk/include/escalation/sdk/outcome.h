// What a rule decides, declared as data in its table row (rule_table.h): the
// action, destination, transfer mode and priority, the summary, and the
// scripts, steps, records and notes it adds, each citing a rule. The texts do
// not depend on the call, so a plugin holds every one of them from the moment
// it is created; what does depend on the call (hours, instants, site names,
// the customer's name) is added by the row's hook after the outcome.
//
//   sdk::Outcome()
//       .Priority(v1::TIER2_SITUATION)
//       .Action(v1::TRANSFER).To(v1::Decision::TIER2).Mode(v1::WARM)
//       .Summary("Warm-transfer the customer to T2.")
//       .Step("Tell the T2 agent who you are.")       // cites the row's rule
//       .Record("dept.t2_task", "AFTER the call", kCategory)
//       .Cite(kOneReason)
#ifndef ESCALATION_SDK_OUTCOME_H_
#define ESCALATION_SDK_OUTCOME_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "escalation/sdk/plugin.h"

namespace escalation::v1 {
class ProposalEdit;  // plugin.pb.h of the API since v1.2.
}  // namespace escalation::v1

namespace escalation::sdk {

// The rule a text cites: the row's own (default), a declared rule, or a
// declared rule named by id. An id is looked up when the table is declared
// (Plugin::DeclareTable); an id no rule has makes the plugin fail to load,
// with an error naming it.
class RuleRef {
 public:
  RuleRef() = default;
  RuleRef(const Rule& rule) : rule_(&rule), id_(rule.id) {}  // NOLINT
  RuleRef(const char* id) : id_(id) {}                        // NOLINT
  RuleRef(std::string id) : id_(std::move(id)) {}             // NOLINT

  bool is_row_rule() const { return rule_ == nullptr && id_.empty(); }
  bool resolved() const { return rule_ != nullptr; }
  const std::string& id() const { return id_; }
  // The rule cited: `row` when this names none (or none was found).
  const Rule& Or(const Rule& row) const { return rule_ ? *rule_ : row; }

 private:
  friend class Plugin;
  const Rule* rule_ = nullptr;
  std::string id_;
};

// A text of an outcome that depends on the call, kept in its place among the
// fixed ones: the row's fill gives it per call (rule_table.h), e.g.
// .Steps({"Hold.", ...}).Step(sdk::Slot{"site_search"}).Step("Call.").
struct Slot {
  std::string name;
};

// Each text below that is not a slot is declared once with
// Plugin::DeclareFixed when its table is declared (`fixed`), with the rule it
// cites, and emitted from there; null until then (the text is then written).
struct OutcomeText {
  std::string text;  // The slot's name when `slot`.
  RuleRef rule;
  bool slot;
  // Consecutive steps and notes that are no slot cross as one fixed text:
  // each holds it, and all but the first are `covered` by the first's.
  const FixedDecision* fixed = nullptr;
  bool covered = false;
};
struct OutcomeScript {
  std::string id;  // Script id, stable: the agent's tooling may key on it.
  std::string text;  // The slot's name when `slot`.
  RuleRef rule;
  bool slot;
  const FixedDecision* fixed = nullptr;
};
struct OutcomeRecord {
  std::string type_id;  // A record type the plugin declared.
  std::string when;
  RuleRef rule;
  const v1::RecordTypeInfo* type = nullptr;  // Found when the table is declared.
  const FixedDecision* fixed = nullptr;
};

class Outcome {
 public:
  Outcome& Priority(v1::Priority p) { priority = p; return *this; }
  Outcome& Action(v1::Action a) { action = a; return *this; }
  Outcome& To(v1::Decision::Destination d) { destination = d; return *this; }
  Outcome& Mode(v1::TransferMode m) { transfer_mode = m; return *this; }
  Outcome& Summary(std::string s) { summary = std::move(s); return *this; }
  Outcome& Script(std::string id, std::string text, RuleRef rule = {}) {
    scripts.push_back({std::move(id), std::move(text), std::move(rule), false});
    return *this;
  }
  Outcome& Script(std::string id, Slot text, RuleRef rule = {}) {
    scripts.push_back({std::move(id), std::move(text.name), std::move(rule), true});
    return *this;
  }
  Outcome& Step(std::string text, RuleRef rule = {}) {
    steps.push_back({std::move(text), std::move(rule), false});
    return *this;
  }
  Outcome& Step(Slot text, RuleRef rule = {}) {
    steps.push_back({std::move(text.name), std::move(rule), true});
    return *this;
  }
  Outcome& Steps(std::initializer_list<absl::string_view> texts, RuleRef rule = {}) {
    for (absl::string_view t : texts) steps.push_back({std::string(t), rule, false});
    return *this;
  }
  Outcome& Record(std::string type_id, std::string when, RuleRef rule = {}) {
    records.push_back({std::move(type_id), std::move(when), std::move(rule)});
    return *this;
  }
  Outcome& Note(std::string text, RuleRef rule = {}) {
    notes.push_back({std::move(text), std::move(rule), false});
    return *this;
  }
  Outcome& Note(Slot text, RuleRef rule = {}) {
    notes.push_back({std::move(text.name), std::move(rule), true});
    return *this;
  }
  // Cites a rule the texts do not, after them.
  Outcome& Cite(RuleRef rule) { cites.push_back(std::move(rule)); return *this; }
  // In an admit row: takes out of the proposal the citation of another
  // plugin's rule and the script (Script.id) that rule added, if any.
  // Declared in the manifest (PluginManifest.output_edits) with the table.
  Outcome& Remove(std::string rule_id, std::string script_id = "") {
    removals.push_back({std::move(rule_id), std::move(script_id)});
    return *this;
  }

  // Unset fields leave the decision's as they are (an admit row amends).
  std::optional<v1::Priority> priority;
  std::optional<v1::Action> action;
  std::optional<v1::Decision::Destination> destination;
  std::optional<v1::TransferMode> transfer_mode;
  std::optional<std::string> summary;
  const FixedDecision* fixed_summary = nullptr;  // As OutcomeText::fixed.
  // The rule whose row declared the fixed texts: they are emitted only for
  // it (a copy of the outcome emitted for another rule writes its texts).
  const Rule* fixed_for = nullptr;
  std::vector<OutcomeScript> scripts;
  std::vector<OutcomeText> steps;
  std::vector<OutcomeRecord> records;
  std::vector<OutcomeText> notes;
  std::vector<RuleRef> cites;
  struct Removal {
    std::string rule_id;
    std::string script_id;  // Empty: the rule added no script.
  };
  std::vector<Removal> removals;
};

// The text of a slot for one call (Slot).
using SlotText = absl::FunctionRef<std::string(absl::string_view slot)>;

// Writes `outcome` of `rule` into `decision`: its removals, the fields it
// sets, then its scripts, steps, records and notes (a slot's text from
// `fill`), then its other citations. An outcome that cites nothing cites
// `rule`. The one place an outcome becomes output.
void EmitOutcome(const Rule& rule, const Outcome& outcome, SlotText fill,
                 v1::Decision* decision);
// The same for an outcome without slots.
void EmitOutcome(const Rule& rule, const Outcome& outcome, v1::Decision* decision);
// Writes `outcome` of `rule` as an edit of a proposal the plugin was sent
// only the head of (ABI 1.2, Plugin::AdmitsByEdit): its removals as the
// rule's output edits (all that the rule's rows declare), each field it sets
// to its default as a reset, the other fields it sets and its texts into the
// edit's decision.
void EmitOutcomeEdit(const Rule& rule, const Outcome& outcome, SlotText fill,
                     v1::ProposalEdit* edit);
// Takes out of `decision` the citation of rule `rule_id` and its script
// `script_id` (none when empty): what Outcome::Remove declares, and what the
// server does for a declared output edit (PluginManifest.output_edits).
void RemoveOutput(absl::string_view rule_id, absl::string_view script_id,
                  v1::Decision* decision);
// Whether the outcome has a slot (its row must then give a fill).
bool HasSlots(const Outcome& outcome);

// Writes only the scripts, steps, records, notes and other citations of
// `outcome` (citing `rule` when it has none): what a row adds to a proposal
// another row made (RouteTable::JoinSameProposal).
void EmitOutcomeTexts(const Rule& rule, const Outcome& outcome, SlotText fill,
                      v1::Decision* decision);

// Appends a proposal with the outcome's priority and emits the outcome into it.
v1::Decision* ProposeOutcome(const Rule& rule, const Outcome& outcome,
                             v1::PluginRouteResponse* response);

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_OUTCOME_H_
