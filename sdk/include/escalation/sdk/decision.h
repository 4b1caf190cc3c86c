// Helpers to build decisions and validation results that cite their rules.
#ifndef ESCALATION_SDK_DECISION_H_
#define ESCALATION_SDK_DECISION_H_

#include <initializer_list>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

// Appends `rule` to the rules that contributed, once.
void Cite(const Rule& rule, v1::Decision* decision);
void Cite(const Rule& rule, v1::PluginValidateResponse* response);

// Appends a verbatim script, an ordered step, a note, each citing `rule`.
void AddScript(const Rule& rule, absl::string_view script_id,
               absl::string_view text, v1::Decision* decision);
void AddStep(const Rule& rule, absl::string_view text, v1::Decision* decision);
// Appends each of `texts` as a step, in order, citing `rule`.
void AddSteps(const Rule& rule, std::initializer_list<absl::string_view> texts,
              v1::Decision* decision);
void AddNote(const Rule& rule, absl::string_view text, v1::Decision* decision);
// Appends each of `texts` as a note, in order, citing `rule` (once).
void AddNotes(const Rule& rule, absl::Span<const absl::string_view> texts,
              v1::Decision* decision);

// Appends a required record and returns it for its fields to be added.
v1::RequiredRecord* AddRecord(const Rule& rule, v1::TaskSystem system,
                              v1::TaskKind kind, absl::string_view when,
                              v1::Decision* decision);
v1::RecordField* AddField(absl::string_view name, absl::string_view value,
                          absl::string_view description,
                          v1::RequiredRecord* record);

// Puts `fixed` (declared with Plugin::DeclareFixed) in `decision`: where the
// item would go (a script after the scripts already there, ...), or as the
// summary. Through the plugin ABI the answer cites it; the host writes it.
void EmitFixed(const FixedDecision& fixed, v1::Decision* decision);

// Appends a proposal and returns its decision.
v1::Decision* Propose(v1::Priority priority, v1::PluginRouteResponse* response);

// Reports a violation of `rule` on `field`.
void AddViolation(const Rule& rule, absl::string_view field,
                  absl::string_view message, v1::Severity severity,
                  v1::PluginValidateResponse* response);
void AddFinding(const Rule& rule, absl::string_view code,
                absl::string_view message,
                v1::PluginValidateResponse* response);

// Facts of a call. Inline: a rule table asks them dozens of times a call.
inline bool HasReason(const v1::CallFacts& call, v1::Reason reason) {
  for (int r : call.reasons()) {
    if (r == reason) return true;
  }
  return false;
}
inline bool HasThreat(const v1::CallFacts& call, v1::Threat threat) {
  for (int t : call.threats()) {
    if (t == threat) return true;
  }
  return false;
}

// Replaces every "[customer name]" in `text` with `name`; leaves the
// placeholder as it is when the name is unknown.
std::string FillCustomerName(absl::string_view text, absl::string_view name);

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_DECISION_H_
