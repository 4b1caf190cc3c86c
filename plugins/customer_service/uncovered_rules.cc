// The reasons and threats no rule of the Customer Service table handles
// (design reading): the agent is told which, instead of the reason being
// dropped without a word. "Handled" is derived from the rule table itself, by
// probing it, so there is no second list to keep in step with the rules.
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "escalation/sdk/coverage.h"
#include "escalation/sdk/decision.h"
#include "rule_kinds.h"

namespace escalation::customer_service {
namespace {

constexpr char kUncoveredId[] = "cs.uncovered.reason_or_threat";

// The ids of the rules whose condition holds for `call`, the table applied as
// Route applies it, without the rule of this file (it reads this probe).
std::set<std::string> Fired(const v1::CallFacts& call) {
  v1::PluginRouteResponse scratch;
  // The instant only moves Tier 2 between open and closed; any will do.
  Outcome o(call, absl::UnixEpoch(), &scratch);
  std::set<std::string> fired;
  for (const RouteRule& r : RouteRules()) {
    if (r.rule.id == kUncoveredId || !r.when(o)) continue;
    fired.insert(r.rule.id);
    r.then(r.rule, o);
  }
  return fired;
}

// The reasons and threats the rule table handles, and the note naming each
// one it does not.
const sdk::UncoveredNoteTable& Uncovered() {
  static const auto* table = new sdk::UncoveredNoteTable(
      sdk::ReasonCoverage::Probe(v1::CUSTOMER_SERVICE, Fired),
      "no rule of the Customer Service articles covers this",
      "; follow your site's procedure for it.");
  return *table;
}

}  // namespace

bool IsHandled(v1::Reason reason) { return Uncovered().coverage().Handles(reason); }
bool IsHandled(v1::Threat threat) { return Uncovered().coverage().Handles(threat); }

std::vector<RouteRule> UncoveredRules() {
  std::vector<RouteRule> t;
  t.push_back(
      {{kUncoveredId,
        "A reason or threat of the call that no rule of the Customer Service "
        "articles covers (e.g. a medical emergency, a risk to a person, a "
        "media inquiry, an attorney calling) is named in a note on every "
        "proposal; with no other proposal, the call stays in Customer Service "
        "with that note. No route is invented (design reading: the articles "
        "are silent on these reasons)",
        kEscalationsArticle},
       [](const Outcome& o) { return Uncovered().AnyUncovered(o.call()); },
       [](const sdk::Rule& rule, Outcome& o) {
         Outcome::DecisionList all = o.Decisions();
         if (all.empty()) {
           all.push_back(o.Propose(
               rule, v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE,
               v1::RESOLVE_IN_DEPARTMENT,
               "No rule of the Customer Service articles covers this call's "
               "reasons or threats; see the notes."));
         }
         const auto notes = Uncovered().NotesFor(o.call());
         for (v1::Decision* d : all) {
           for (absl::string_view n : notes) sdk::AddNote(rule, n, d);
         }
       }});
  return t;
}

}  // namespace escalation::customer_service
