// A department's rules as tables beside its article, one per hook: each row a
// declared rule, the article's condition on the facts, the outcome it decides
// (data, outcome.h) and a hook for what depends on the call. `Facts` is the
// plugin's own view of one request. The three table types are distinct: a
// table passed to the wrong hook does not compile.
//
//   struct Call { const v1::CallFacts& call; absl::Time now; };
//   sdk::RouteTable<Call> table_{{
//       {{"my.cancel", "Cancel goes to Retention", "Article title"},
//        [](const Call& c) { return sdk::HasReason(c.call, v1::CANCEL_CONTRACT); },
//        sdk::Outcome().Priority(v1::RETENTION_TRANSFER).Action(v1::TRANSFER)
//            .To(v1::Decision::RETENTION).Summary("Transfer to Retention.")}}};
//   ... in the constructor: DeclareTable(table_);
//   ... in Route: sdk::Apply(table_, Call{request.call(), now}, response);
#ifndef ESCALATION_SDK_RULE_TABLE_H_
#define ESCALATION_SDK_RULE_TABLE_H_

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"
#include "escalation/sdk/coverage.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

// The standard last row of a route table: the reasons and threats of the call
// no row handles ("handled" derived by probing the rows, coverage.h) are
// named in a note citing `rule` on every proposal; with no proposal, the call
// stays in the department (`stay`) with `summary`. No route is invented.
struct UncoveredReasons {
  Rule rule;
  v1::Department department;
  v1::Decision::Destination stay;
  std::string summary;
  std::string text;  // Each note: "<NAME>: <text> reason<tail>".
  std::string tail;
};

// A row of a route or admit table: `detail` adds to the decision what depends
// on the call, after the outcome (none: the outcome is all); `fill` gives the
// text of the outcome's slots for the call (outcome.h, Slot). A condition
// (`when`, `pick`) only says whether the row applies: the SDK may ask it in
// any order, more than once, or not at all.
//
// A route row proposes its outcome. Two other kinds, in route tables only,
// work on the proposals the rows before them made:
//   Amend:  applies when `when` holds and `pick` selects a proposal made so
//           far; its outcome and detail go into each proposal picked (unset
//           fields stay as they were).
//   Revise: when `when` holds, `revise` reworks the proposals made so far
//           (withdraws one, folds one into another, proposes when none is
//           left) and says whether it changed anything (whether the row fired).
template <typename Facts>
struct DecisionRow {
  using When = std::function<bool(const Facts&)>;
  using Detail = std::function<void(const Rule&, const Facts&, v1::Decision*)>;
  using Pick = std::function<bool(const Facts&, const v1::Decision&)>;
  using Reviser =
      std::function<bool(const Rule&, const Facts&, v1::PluginRouteResponse*)>;
  using Fill = std::function<std::string(absl::string_view slot, const Facts&)>;
  DecisionRow(Rule rule, When when, Outcome outcome, Detail detail = nullptr,
              Fill fill = nullptr)
      : rule(std::move(rule)),
        when(std::move(when)),
        outcome(std::move(outcome)),
        detail(std::move(detail)),
        fill(std::move(fill)) {}

  // Emits the outcome into `decision`, then the detail.
  void Emit(const Facts& facts, v1::Decision* decision) const {
    EmitOutcome(rule, outcome, FillFor(facts), decision);
    if (detail) detail(rule, facts, decision);
  }
  // Emits the outcome as an edit of a proposal (EmitOutcomeEdit), then the
  // detail into the edit's decision.
  void EmitEdit(const Facts& facts, v1::ProposalEdit* edit) const {
    EmitOutcomeEdit(rule, outcome, FillFor(facts), edit);
    if (detail) detail(rule, facts, edit->mutable_decision());
  }
  // Emits only the outcome's texts (EmitOutcomeTexts), then the detail.
  void EmitTexts(const Facts& facts, v1::Decision* decision) const {
    EmitOutcomeTexts(rule, outcome, FillFor(facts), decision);
    if (detail) detail(rule, facts, decision);
  }

  static DecisionRow Amend(Rule rule, When when, Pick pick, Outcome outcome,
                           Detail detail = nullptr) {
    DecisionRow row(std::move(rule), std::move(when), std::move(outcome),
                    std::move(detail));
    row.pick = std::move(pick);
    return row;
  }
  static DecisionRow Revise(Rule rule, When when, Reviser revise) {
    DecisionRow row(std::move(rule), std::move(when), Outcome());
    row.revise = std::move(revise);
    return row;
  }

  Rule rule;
  When when;
  Outcome outcome;
  Detail detail;
  Pick pick;        // Set: an amending row.
  Reviser revise;   // Set: a revising row.
  Fill fill;

 private:
  std::function<std::string(absl::string_view)> FillFor(const Facts& facts) const {
    if (!fill) return [](absl::string_view) { return std::string(); };
    return [this, &facts](absl::string_view slot) { return fill(slot, facts); };
  }
};

// A row of a validate table: `check` adds violations, findings, citations.
template <typename Facts>
struct CheckRow {
  Rule rule;
  std::function<bool(const Facts&)> when;
  std::function<void(const Rule&, const Facts&, v1::PluginValidateResponse*)> check;
};

template <typename Facts>
class RouteTable {
 public:
  using Row = DecisionRow<Facts>;
  // The Facts of a bare call, for probing which reasons the rows handle.
  using FactsOfCall = std::function<Facts(const v1::CallFacts&)>;

  RouteTable(std::vector<Row> rows) : rows_(std::move(rows)) {}  // NOLINT

  // Ends the table with the standard row for reasons no rule covers. Facts
  // must have a member `call` (the v1::CallFacts).
  RouteTable& NameUncovered(UncoveredReasons spec, const FactsOfCall& facts_of) {
    UncoveredNoteTable notes(
        ReasonCoverage::Probe(spec.department,
                              [&](const v1::CallFacts& call) { return Fired(facts_of(call)); }),
        spec.text, spec.tail);
    Outcome stay = Outcome()
                       .Priority(v1::RESOLVE_IN_DEPARTMENT)
                       .Action(v1::RESOLVE_HERE)
                       .To(spec.stay)
                       .Summary(spec.summary);
    uncovered_ = std::make_unique<Uncovered>(
        Uncovered{std::move(spec), std::move(stay), std::move(notes)});
    return *this;
  }

  // A row proposing an action and destination a proposal made so far already
  // has adds to that proposal instead of proposing a second: its rule cited,
  // then its texts and detail; the first proposal's priority and summary stand.
  RouteTable& JoinSameProposal() {
    join_same_proposal_ = true;
    return *this;
  }

  void Apply(const Facts& facts, v1::PluginRouteResponse* response) const {
    for (const Row& r : rows_) ApplyRow(r, facts, response);
    if (uncovered_ != nullptr) NameUncoveredIn(facts.call, response);
  }

  // The ids of the rows that fire for `facts`, the rows applied in order.
  std::set<std::string> Fired(const Facts& facts) const {
    v1::PluginRouteResponse scratch;
    std::set<std::string> fired;
    for (const Row& r : rows_) {
      if (ApplyRow(r, facts, &scratch)) fired.insert(r.rule.id);
    }
    return fired;
  }

  // What NameUncovered derived; nullptr without it.
  const ReasonCoverage* coverage() const {
    return uncovered_ ? &uncovered_->notes.coverage() : nullptr;
  }

  std::vector<Row>& rows() { return rows_; }
  const std::vector<Row>& rows() const { return rows_; }
  // The rule and outcome of the standard row; nullptr without it.
  const Rule* uncovered_rule() const { return uncovered_ ? &uncovered_->spec.rule : nullptr; }
  const Outcome* uncovered_outcome() const { return uncovered_ ? &uncovered_->stay : nullptr; }
  Outcome* uncovered_outcome() { return uncovered_ ? &uncovered_->stay : nullptr; }

 private:
  struct Uncovered {
    UncoveredReasons spec;
    Outcome stay;
    UncoveredNoteTable notes;
  };

  // Applies one row; whether it fired. Most rows' conditions do not hold:
  // that much is asked here, and the rest is done out of line, so asking
  // costs no more than the condition itself.
  bool ApplyRow(const Row& r, const Facts& facts, v1::PluginRouteResponse* response) const {
    if (!r.when) return false;
    if (r.pick) return Amend(r, facts, response);
    return r.when(facts) && Fire(r, facts, response);
  }

  ABSL_ATTRIBUTE_NOINLINE bool Amend(const Row& r, const Facts& facts,
                                     v1::PluginRouteResponse* response) const {
    // Conditions are pure: an amending row's, often the costlier (opening
    // hours), is asked only once a proposal is picked.
    bool picked = false;
    for (v1::Proposal& p : *response->mutable_proposals()) {
      v1::Decision* d = p.mutable_decision();
      if (!r.pick(facts, *d)) continue;
      if (!picked && !r.when(facts)) return false;
      picked = true;
      r.Emit(facts, d);
    }
    return picked;
  }

  // A row whose condition holds.
  ABSL_ATTRIBUTE_NOINLINE bool Fire(const Row& r, const Facts& facts,
                                    v1::PluginRouteResponse* response) const {
    if (r.revise) return r.revise(r.rule, facts, response);
    v1::Decision* d = join_same_proposal_ ? SameProposal(r.outcome, response) : nullptr;
    if (d != nullptr) {
      Cite(r.rule, d);
      r.EmitTexts(facts, d);
    } else {
      r.Emit(facts, Propose(r.outcome.priority.value_or(v1::PRIORITY_UNSPECIFIED), response));
    }
    return true;
  }

  // The proposal with the action and destination `outcome` sets, or nullptr.
  static v1::Decision* SameProposal(const Outcome& outcome,
                                    v1::PluginRouteResponse* response) {
    if (!outcome.action) return nullptr;
    const auto destination = outcome.destination.value_or(v1::Decision::DESTINATION_UNSPECIFIED);
    for (v1::Proposal& p : *response->mutable_proposals()) {
      if (p.decision().action() == *outcome.action &&
          p.decision().destination() == destination) {
        return p.mutable_decision();
      }
    }
    return nullptr;
  }

  void NameUncoveredIn(const v1::CallFacts& call, v1::PluginRouteResponse* response) const {
    const auto notes = uncovered_->notes.NotesFor(call);
    if (notes.empty()) return;
    const Rule& rule = uncovered_->spec.rule;
    if (response->proposals_size() == 0) {
      EmitOutcome(rule, uncovered_->stay, Propose(v1::RESOLVE_IN_DEPARTMENT, response));
    }
    for (v1::Proposal& p : *response->mutable_proposals()) {
      AddNotes(rule, notes, p.mutable_decision());
    }
  }

  std::vector<Row> rows_;
  std::unique_ptr<Uncovered> uncovered_;
  bool join_same_proposal_ = false;
};

// The outcome of an admit row amends the proposal: unset fields stay as they
// were. A plugin that admits by edit (Plugin::AdmitsByEdit) applies its table
// to the answer's edit; any other, to the proposal it was sent.
template <typename Facts>
class AdmitTable {
 public:
  using Row = DecisionRow<Facts>;

  AdmitTable(std::vector<Row> rows) : rows_(std::move(rows)) {}  // NOLINT

  // Amends `proposal` with every row whose condition holds, in order.
  void Apply(const Facts& facts, v1::Decision* proposal) const {
    for (const Row& r : rows_) {
      if (r.when && r.when(facts)) r.Emit(facts, proposal);
    }
  }

  // The same amendment as an edit the host applies to the proposal (ABI
  // 1.2; Plugin::AdmitsByEdit): the rows' details write into the edit's
  // decision, which holds only what they add.
  void Apply(const Facts& facts, v1::ProposalEdit* edit) const {
    for (const Row& r : rows_) {
      if (r.when && r.when(facts)) r.EmitEdit(facts, edit);
    }
  }

  std::vector<Row>& rows() { return rows_; }
  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<Row> rows_;
};

template <typename Facts>
class ValidateTable {
 public:
  using Row = CheckRow<Facts>;

  ValidateTable(std::vector<Row> rows) : rows_(std::move(rows)) {}  // NOLINT

  void Apply(const Facts& facts, v1::PluginValidateResponse* response) const {
    for (const Row& r : rows_) {
      if (r.when && r.when(facts)) r.check(r.rule, facts, response);
    }
  }

  std::vector<Row>& rows() { return rows_; }
  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<Row> rows_;
};

// Applies a table from its hook; each overload takes only its hook's output.
template <typename Facts>
void Apply(const RouteTable<Facts>& table, const Facts& facts,
           v1::PluginRouteResponse* response) {
  table.Apply(facts, response);
}
template <typename Facts>
void Apply(const AdmitTable<Facts>& table, const Facts& facts, v1::Decision* proposal) {
  table.Apply(facts, proposal);
}
template <typename Facts>
void Apply(const AdmitTable<Facts>& table, const Facts& facts, v1::ProposalEdit* edit) {
  table.Apply(facts, edit);
}
template <typename Facts>
void Apply(const ValidateTable<Facts>& table, const Facts& facts,
           v1::PluginValidateResponse* response) {
  table.Apply(facts, response);
}

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_RULE_TABLE_H_
