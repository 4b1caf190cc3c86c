#include "outcome.h"

#include <string>

#include "escalation/sdk/decision.h"

namespace escalation::customer_service {

v1::Decision* Outcome::Propose(const sdk::Rule& rule, v1::Action action,
                               v1::Decision::Destination destination,
                               v1::Priority priority,
                               absl::string_view summary) {
  v1::Decision* decision = Find(action, destination);
  if (decision == nullptr) {
    decision = sdk::Propose(priority, response_);
    decision->set_action(action);
    decision->set_destination(destination);
    decision->set_summary(std::string(summary));
  }
  sdk::Cite(rule, decision);
  return decision;
}

v1::Decision* Outcome::Find(v1::Action action,
                            v1::Decision::Destination destination) const {
  for (v1::Proposal& p : *response_->mutable_proposals()) {
    if (p.decision().action() == action &&
        p.decision().destination() == destination) {
      return p.mutable_decision();
    }
  }
  return nullptr;
}

Outcome::DecisionList Outcome::Decisions() const {
  DecisionList out;
  for (v1::Proposal& p : *response_->mutable_proposals()) {
    out.push_back(p.mutable_decision());
  }
  return out;
}

std::optional<v1::Decision> Outcome::Withdraw(
    v1::Action action, v1::Decision::Destination destination) {
  auto* proposals = response_->mutable_proposals();
  for (int i = 0; i < proposals->size(); ++i) {
    const v1::Decision& d = proposals->Get(i).decision();
    if (d.action() == action && d.destination() == destination) {
      v1::Decision out = d;
      proposals->DeleteSubrange(i, 1);
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace escalation::customer_service
