// Merges the proposals of several plugins into one decision
// (docs/architecture.md, The merge).
//
// The highest-priority proposal wins. A lower-priority proposal that fits
// under it (see FitsUnder) adds its scripts, steps, records, notes and rules,
// deduplicated, after the winner's. A proposal that goes another way is
// outranked: its steps are not the agent's to follow, so a note names it and
// its rules, and nothing else of it is kept.
//
// Design reading: the design of record kept the lists "of every matched
// rule". Taken
// literally, a call matching a Tier 2 route and a Leadership Desk route told
// the agent to make both transfers, which no article says; two policy reviews
// flagged it. Work done in the department alongside a handoff (update the ZIP
// code in TIMX SCM, then transfer the cancellation to Retention) is kept.
#ifndef ESCALATION_SERVER_MERGE_MERGE_H_
#define ESCALATION_SERVER_MERGE_MERGE_H_

#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "escalation/v1/plugin.pb.h"
#include "server/merge/merge_rules.h"

namespace escalation::host {

namespace v1 = ::escalation::v1;

// What FitsUnder (merge_rules.h) judges `decision` by.
DecisionHead HeadOf(const v1::Decision& decision);
// FitsUnder of the two decisions' heads.
bool FitsUnder(const v1::Decision& winner, const v1::Decision& other);

// Orders `items` highest priority (`priority_of(item)`) first; ties keep the
// order the plugins made them in. In place: std::stable_sort takes a buffer
// from the heap even for the one or two proposals a call has.
template <typename T, typename PriorityOf>
void OrderByPriority(absl::Span<T> items, PriorityOf priority_of) {
  for (size_t i = 1; i < items.size(); ++i) {
    for (size_t j = i; j > 0 && priority_of(items[j]) > priority_of(items[j - 1]); --j) {
      std::swap(items[j], items[j - 1]);
    }
  }
}

// Merges `proposals` (which it takes apart) into `merged`. An empty list gives
// a decision that says no rule matched. All of them and `merged` live on one
// arena (or none), so the winner moves into `merged` without a copy.
void MergeProposals(const std::vector<v1::Proposal*>& proposals, v1::Decision* merged);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_MERGE_MERGE_H_
