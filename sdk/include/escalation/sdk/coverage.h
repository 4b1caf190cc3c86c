// Which reasons and threats a plugin's routing rules handle, worked out by
// probing the rules themselves, so a plugin can name the ones it does not
// handle (rather than drop them without a word) with no second list to keep
// in step with its rules.
#ifndef ESCALATION_SDK_COVERAGE_H_
#define ESCALATION_SDK_COVERAGE_H_

#include <array>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

class ReasonCoverage {
 public:
  // The ids of the rules that fire for a call.
  using FiredRules = std::function<std::set<std::string>(const v1::CallFacts&)>;

  // A reason (threat) is handled when, on some probe call, adding it alone
  // changes which rules fire. The probe calls are a call of `department` with
  // no other fact, then with each numeric fact (the yes/no facts, the
  // statuses) set alone to 0..3; set by field number, so a fact added to the
  // API later is probed too.
  static ReasonCoverage Probe(v1::Department department, const FiredRules& fired);

  bool Handles(v1::Reason reason) const { return reasons_.count(reason) > 0; }
  bool Handles(v1::Threat threat) const { return threats_.count(threat) > 0; }

  // "<NAME>: <text> reason<tail>" for each reason of `call` not handled, then
  // the same with "threat" for its threats; each named once, in the call's
  // order.
  std::vector<std::string> UncoveredNotes(const v1::CallFacts& call,
                                          const std::string& text,
                                          const std::string& tail) const;

  // Whether `call` names a reason or threat not handled (UncoveredNotes would
  // not be empty), without writing a note.
  bool AnyUncovered(const v1::CallFacts& call) const;

 private:
  friend class UncoveredNoteTable;
  // Calls fn(value, is_threat) for each value UncoveredNotes names, in order.
  template <typename Fn>
  void ForEachUncovered(const v1::CallFacts& call, Fn fn) const;

  std::set<int> reasons_;
  std::set<int> threats_;
};

// The notes ReasonCoverage::UncoveredNotes writes for one text and tail,
// written once for every reason and threat, so a decision finds its notes
// rather than builds them.
class UncoveredNoteTable {
 public:
  UncoveredNoteTable(ReasonCoverage coverage, const std::string& text,
                     const std::string& tail);

  // UncoveredNotes(call, text, tail), as views into this table.
  absl::InlinedVector<absl::string_view, 8> NotesFor(const v1::CallFacts& call) const;
  bool AnyUncovered(const v1::CallFacts& call) const {
    return coverage_.AnyUncovered(call);
  }
  const ReasonCoverage& coverage() const { return coverage_; }

 private:
  ReasonCoverage coverage_;
  std::array<std::string, 64> reason_notes_;  // By value; "" if handled.
  std::array<std::string, 64> threat_notes_;
};

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_COVERAGE_H_
