// The proposals the Customer Service rules build for one call: at most one per
// (action, destination), each citing every rule that contributed to it.
#ifndef ESCALATION_PLUGINS_CUSTOMER_SERVICE_OUTCOME_H_
#define ESCALATION_PLUGINS_CUSTOMER_SERVICE_OUTCOME_H_

#include <optional>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "escalation/sdk/plugin.h"

namespace escalation::customer_service {

namespace v1 = ::escalation::v1;

class Outcome {
 public:
  Outcome(const v1::CallFacts& call, absl::Time now,
          v1::PluginRouteResponse* response)
      : call_(call), now_(now), response_(response) {}

  const v1::CallFacts& call() const { return call_; }
  absl::Time now() const { return now_; }

  // The proposal for (action, destination), created with `priority` and
  // `summary` on first use; `rule` is cited either way.
  v1::Decision* Propose(const sdk::Rule& rule, v1::Action action,
                        v1::Decision::Destination destination,
                        v1::Priority priority, absl::string_view summary);

  // The proposal for (action, destination), or nullptr.
  v1::Decision* Find(v1::Action action,
                     v1::Decision::Destination destination) const;

  // Every proposal so far, in the order they were made (a call has a few:
  // held inline, nothing allocated).
  using DecisionList = absl::InlinedVector<v1::Decision*, 8>;
  DecisionList Decisions() const;

  // Removes the proposal for (action, destination) and returns its decision;
  // nullopt when there is none. Pointers to other proposals may change.
  std::optional<v1::Decision> Withdraw(v1::Action action,
                                       v1::Decision::Destination destination);

 private:
  const v1::CallFacts& call_;
  absl::Time now_;
  v1::PluginRouteResponse* response_;
};

}  // namespace escalation::customer_service

#endif  // ESCALATION_PLUGINS_CUSTOMER_SERVICE_OUTCOME_H_
