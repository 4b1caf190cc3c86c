// The reasons and threats no rule of the Customer Service table handles
// (design reading): the agent is told which, instead of the reason being
// dropped without a word. "Handled" is derived from the rule table itself, by
// probing it, so there is no second list to keep in step with the rules.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
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

// The calls a reason or threat is probed on: no other fact, then each field
// of CallFacts that holds a number (the yes/no facts, the statuses) set alone
// to 0, 1, 2 or 3. The protos are built lite, without reflection, so a field
// is set by its number through the wire format (a field of another kind keeps
// the value as unknown, which no rule reads); a fact added later is probed too.
std::vector<v1::CallFacts> ProbeCalls() {
  std::vector<v1::CallFacts> calls;
  v1::CallFacts base;
  base.set_department(v1::CUSTOMER_SERVICE);
  calls.push_back(base);
  const auto varint = [](uint32_t n, std::string* out) {
    for (; n >= 0x80; n >>= 7) out->push_back(static_cast<char>(n | 0x80));
    out->push_back(static_cast<char>(n));
  };
  for (uint32_t field = 1; field <= 64; ++field) {
    if (field == v1::CallFacts::kReasonsFieldNumber ||
        field == v1::CallFacts::kThreatsFieldNumber) {
      continue;
    }
    for (uint32_t value = 0; value <= 3; ++value) {
      std::string wire;
      varint(field << 3, &wire);  // Wire type 0: a number.
      varint(value, &wire);
      v1::CallFacts call = base;
      if (call.MergeFromString(wire)) calls.push_back(std::move(call));
    }
  }
  return calls;
}

// A reason (threat) is handled when, on some probe call, adding it alone
// changes which rules fire.
struct Coverage {
  std::set<int> reasons;
  std::set<int> threats;
};

const Coverage& TableCoverage() {
  static const auto* coverage = [] {
    auto* c = new Coverage;
    for (const v1::CallFacts& probe : ProbeCalls()) {
      const std::set<std::string> without = Fired(probe);
      for (int r = v1::Reason_MIN; r <= v1::Reason_MAX; ++r) {
        if (!v1::Reason_IsValid(r) || r == v1::REASON_UNSPECIFIED ||
            c->reasons.count(r)) {
          continue;
        }
        v1::CallFacts call = probe;
        call.add_reasons(static_cast<v1::Reason>(r));
        if (Fired(call) != without) c->reasons.insert(r);
      }
      for (int t = v1::Threat_MIN; t <= v1::Threat_MAX; ++t) {
        if (!v1::Threat_IsValid(t) || t == v1::THREAT_UNSPECIFIED ||
            c->threats.count(t)) {
          continue;
        }
        v1::CallFacts call = probe;
        call.add_threats(static_cast<v1::Threat>(t));
        if (Fired(call) != without) c->threats.insert(t);
      }
    }
    return c;
  }();
  return *coverage;
}

// The notes for the call's reasons and threats no rule handles, each named
// once, in the call's order.
std::vector<std::string> UncoveredNotes(const v1::CallFacts& call) {
  std::vector<std::string> notes;
  std::set<int> seen_reasons, seen_threats;
  for (int r : call.reasons()) {
    if (r == v1::REASON_UNSPECIFIED || IsHandled(static_cast<v1::Reason>(r)) ||
        !seen_reasons.insert(r).second) {
      continue;
    }
    notes.push_back(absl::StrCat(
        v1::Reason_Name(static_cast<v1::Reason>(r)),
        ": no rule of the Customer Service articles covers this reason; "
        "follow your site's procedure for it."));
  }
  for (int t : call.threats()) {
    if (t == v1::THREAT_UNSPECIFIED || IsHandled(static_cast<v1::Threat>(t)) ||
        !seen_threats.insert(t).second) {
      continue;
    }
    notes.push_back(absl::StrCat(
        v1::Threat_Name(static_cast<v1::Threat>(t)),
        ": no rule of the Customer Service articles covers this threat; "
        "follow your site's procedure for it."));
  }
  return notes;
}

}  // namespace

bool IsHandled(v1::Reason reason) {
  return TableCoverage().reasons.count(reason) > 0;
}
bool IsHandled(v1::Threat threat) {
  return TableCoverage().threats.count(threat) > 0;
}

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
       [](const Outcome& o) { return !UncoveredNotes(o.call()).empty(); },
       [](const sdk::Rule& rule, Outcome& o) {
         std::vector<v1::Decision*> all = o.Decisions();
         if (all.empty()) {
           all.push_back(o.Propose(
               rule, v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE,
               v1::RESOLVE_IN_DEPARTMENT,
               "No rule of the Customer Service articles covers this call's "
               "reasons or threats; see the notes."));
         }
         for (v1::Decision* d : all) {
           for (const std::string& n : UncoveredNotes(o.call())) {
             sdk::AddNote(rule, n, d);
           }
         }
       }});
  return t;
}

}  // namespace escalation::customer_service
