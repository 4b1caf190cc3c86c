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

#include <cstdlib>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

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
// text of the outcome's slots for the call (outcome.h, Slot).
template <typename Facts>
struct DecisionRow {
  using When = std::function<bool(const Facts&)>;
  using Detail = std::function<void(const Rule&, const Facts&, v1::Decision*)>;
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
    if (fill) {
      EmitOutcome(rule, outcome,
                  [&](absl::string_view slot) { return fill(slot, facts); }, decision);
    } else {
      EmitOutcome(rule, outcome, decision);
    }
    if (detail) detail(rule, facts, decision);
  }

  Rule rule;
  When when;
  Outcome outcome;
  Detail detail;
  Fill fill;
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

  void Apply(const Facts& facts, v1::PluginRouteResponse* response) const {
    for (const Row& r : rows_) {
      if (!r.when || !r.when(facts)) continue;
      r.Emit(facts, Propose(r.outcome.priority.value_or(v1::PRIORITY_UNSPECIFIED), response));
    }
    if (uncovered_ != nullptr) NameUncoveredIn(facts.call, response);
  }

  // The ids of the rows whose condition holds for `facts`, applied in order.
  std::set<std::string> Fired(const Facts& facts) const {
    v1::PluginRouteResponse scratch;
    std::set<std::string> fired;
    for (const Row& r : rows_) {
      if (!r.when || !r.when(facts)) continue;
      fired.insert(r.rule.id);
      r.Emit(facts, Propose(r.outcome.priority.value_or(v1::PRIORITY_UNSPECIFIED), &scratch));
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

  void NameUncoveredIn(const v1::CallFacts& call, v1::PluginRouteResponse* response) const {
    const auto notes = uncovered_->notes.NotesFor(call);
    if (notes.empty()) return;
    const Rule& rule = uncovered_->spec.rule;
    if (response->proposals_size() == 0) {
      EmitOutcome(rule, uncovered_->stay, Propose(v1::RESOLVE_IN_DEPARTMENT, response));
    }
    for (v1::Proposal& p : *response->mutable_proposals()) {
      for (absl::string_view n : notes) AddNote(rule, n, p.mutable_decision());
    }
  }

  std::vector<Row> rows_;
  std::unique_ptr<Uncovered> uncovered_;
};

// The outcome of an admit row amends the proposal: unset fields stay as they were.
template <typename Facts>
class AdmitTable {
 public:
  using Row = DecisionRow<Facts>;

  AdmitTable(std::vector<Row> rows) : rows_(std::move(rows)) {}  // NOLINT

  // Declares that an outcome of this table removes another plugin's script
  // (Outcome::Remove): put in the manifest by Plugin::DeclareTable.
  AdmitTable& Removes(v1::OutputRemovalInfo removal) {
    removals_.push_back(std::move(removal));
    return *this;
  }
  const std::vector<v1::OutputRemovalInfo>& removals() const { return removals_; }

  // Amends `proposal` with every row whose condition holds, in order.
  void Apply(const Facts& facts, v1::Decision* proposal) const {
    for (const Row& r : rows_) {
      if (r.when && r.when(facts)) r.Emit(facts, proposal);
    }
  }

  std::vector<Row>& rows() { return rows_; }
  const std::vector<Row>& rows() const { return rows_; }

 private:
  std::vector<Row> rows_;
  std::vector<v1::OutputRemovalInfo> removals_;
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
void Apply(const ValidateTable<Facts>& table, const Facts& facts,
           v1::PluginValidateResponse* response) {
  table.Apply(facts, response);
}

// ---- The earlier form, kept while customer_service and leadership_desk are
// converted to the tables above; new code uses those. ----

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

template <typename Facts>
void Apply(const std::vector<TableRule<Facts>>& table, Facts& facts) {
  for (const TableRule<Facts>& r : table) {
    if (r.when && r.when(facts)) r.then(r.rule, facts);
  }
}

template <typename Facts>
const Rule& RuleById(const std::vector<TableRule<Facts>>& table, absl::string_view id) {
  for (const TableRule<Facts>& r : table) {
    if (r.rule.id == id) return r.rule;
  }
  std::abort();
}

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_RULE_TABLE_H_
