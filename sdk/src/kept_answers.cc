#include "kept_answers.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "address_sanitized.h"

namespace escalation::sdk {
namespace {

constexpr size_t kKeptWireBytes = 64 * 1024;
constexpr int kKeptProposals = 16;

struct Kept {
  std::unique_ptr<v1::PluginRouteResponse> route;
#ifndef ESCALATION_SDK_ABI_1_0
  std::unique_ptr<v1::Decision> edit_decision;  // Cleared; null while lent.
  v1::Decision* lent = nullptr;
#endif
};

Kept& ThisThread() {
  thread_local Kept kept;
  return kept;
}

}  // namespace

v1::PluginRouteResponse* KeptAnswers::RouteResponse() {
  Kept& k = ThisThread();
  if (k.route == nullptr) k.route = std::make_unique<v1::PluginRouteResponse>();
  return k.route.get();
}

void KeptAnswers::RecycleRoute(size_t wire_size) {
  Kept& k = ThisThread();
  if (wire_size > kKeptWireBytes) {
    k.route.reset();
    return;
  }
  // Proposal::Clear would delete the decision: it is cleared in place (its
  // lists keep their items, the items their strings' room) and put back.
  auto* proposals = k.route->mutable_proposals();
  const int kept = std::min(proposals->size(), kKeptProposals);
  while (proposals->size() > kept) delete proposals->ReleaseLast();
  // Released last first, put back first first: add_proposals hands them
  // out in the order they came, each to the proposal like it.
  v1::Proposal* released[kKeptProposals];
  for (int i = kept - 1; i >= 0; --i) released[i] = proposals->ReleaseLast();
  for (int i = 0; i < kept; ++i) {
    v1::Proposal* p = released[i];
    v1::Decision* decision = p->release_decision();
    p->Clear();
    if (decision != nullptr) {
      decision->Clear();
      p->set_allocated_decision(decision);
    }
    proposals->AddCleared(p);
  }
  k.route->Clear();
}

#ifndef ESCALATION_SDK_ABI_1_0
v1::Decision* KeptAnswers::DecisionOf(v1::ProposalEdit* edit) {
#ifndef ESCALATION_SDK_ADDRESS_SANITIZED  // address_sanitized.h: nothing is kept.
  Kept& k = ThisThread();
  if (!edit->has_decision() && edit->GetArena() != nullptr && k.lent == nullptr) {
    if (k.edit_decision == nullptr) k.edit_decision = std::make_unique<v1::Decision>();
    k.lent = k.edit_decision.release();
    // Not owned by the arena: RecycleAdmit takes it back.
    edit->unsafe_arena_set_allocated_decision(k.lent);
  }
#endif
  return edit->mutable_decision();
}

void KeptAnswers::RecycleAdmit(v1::PluginAdmitResponse* response, size_t wire_size) {
  Kept& k = ThisThread();
  if (k.lent == nullptr) return;
  if (response->has_edit() && response->edit().has_decision() &&
      &response->edit().decision() == k.lent) {
    (void)response->mutable_edit()->unsafe_arena_release_decision();
  }
  std::unique_ptr<v1::Decision> lent(std::exchange(k.lent, nullptr));
  if (wire_size > kKeptWireBytes) return;
  lent->Clear();
  k.edit_decision = std::move(lent);
}
#endif

}  // namespace escalation::sdk
