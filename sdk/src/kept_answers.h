// The messages of a plugin's route and admit answers, kept by each thread
// from one call through the ABI to the next: cleared, not freed, so the next
// answer's items and strings reuse their room. On an arena a string longer
// than 15 bytes is still a heap allocation of its own, and an answer holds
// dozens (rule ids, citations, record fields). Not used under
// AddressSanitizer (address_sanitized.h). Not installed.
#ifndef ESCALATION_SDK_SRC_KEPT_ANSWERS_H_
#define ESCALATION_SDK_SRC_KEPT_ANSWERS_H_

#include <cstddef>

#include "escalation/v1/plugin.pb.h"

namespace escalation::sdk {

struct KeptAnswers {
  // This thread's route response, empty, for one call: the proposals of its
  // last answer wait in it, cleared, each with its decision, for
  // add_proposals to hand out again. Recycle it once its answer is written.
  static v1::PluginRouteResponse* RouteResponse();
  // Empties this thread's route response, whose answer took `wire_size`
  // bytes. An answer over 64 KiB (SIZE_MAX: not written) is freed instead.
  static void RecycleRoute(size_t wire_size);

#ifndef ESCALATION_SDK_ABI_1_0  // ProposalEdit came with ABI 1.2.
  // `edit`'s decision, made if it has none. An edit on an arena (an admit
  // answer's, during a call through the ABI) is lent the decision this
  // thread keeps; RecycleAdmit takes it back.
  static v1::Decision* DecisionOf(v1::ProposalEdit* edit);
  // Takes back the decision lent to `response` (its answer written, taking
  // `wire_size` bytes), cleared. Before the arena that holds it goes.
  static void RecycleAdmit(v1::PluginAdmitResponse* response, size_t wire_size);
#endif
};

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_SRC_KEPT_ANSWERS_H_
