// Merges the proposals of several plugins into one decision (DESIGN §4): the
// highest-priority proposal wins; the scripts, steps, records, notes and rules
// of every proposal are kept, deduplicated, the winner's first; a note names
// each lower-priority proposal whose action or destination differs.
#ifndef ESCALATION_SERVER_PLUGIN_HOST_MERGE_H_
#define ESCALATION_SERVER_PLUGIN_HOST_MERGE_H_

#include <vector>

#include "escalation/v1/plugin.pb.h"

namespace escalation::host {

namespace v1 = ::escalation::v1;

// `proposals` in the order the plugins made them; ties in priority go to the
// earlier one. An empty list gives a decision that says no rule matched.
v1::Decision MergeProposals(std::vector<v1::Proposal> proposals);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_PLUGIN_HOST_MERGE_H_
