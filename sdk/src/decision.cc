#include "escalation/sdk/decision.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "fixed_access.h"

namespace escalation::sdk {
namespace {

// Whether `rules` holds a matched rule of the rule `id`. Newest first: a
// rule's outputs cite it one after another, so a repeat is usually found at
// once rather than after every rule cited before it.
template <typename Rules>
bool Holds(const Rules& rules, const std::string& id) {
  for (int i = rules.size() - 1; i >= 0; --i) {
    if (rules.Get(i).rule_id() == id) return true;
  }
  return false;
}

template <typename Rules>
void AppendOnce(const Rule& rule, Rules* rules) {
  if (Holds(*rules, rule.id)) return;
  v1::MatchedRule* m = rules->Add();
  m->set_rule_id(rule.id);
  m->set_title(rule.title);
  m->set_source_article(rule.source_article);
}

}  // namespace

void FixedAccess::Cite(const Rule& rule, const FixedDecision* declared, v1::Decision* decision) {
  if (declared == nullptr) return AppendOnce(rule, decision->mutable_matched_rules());
  if (!Holds(decision->matched_rules(), rule.id)) AppendCitation(*declared, decision);
}

void Cite(const Rule& rule, v1::Decision* decision) {
  FixedAccess::Cite(rule, FixedAccess::CitedRule(rule.id), decision);
}

void Cite(const Rule& rule, v1::PluginValidateResponse* response) {
  AppendOnce(rule, response->mutable_checked_rules());
}

// Texts are assigned in place, not set from a std::string made of them: the
// strings of a kept answer (kept_answers.h) keep their room that way.
void AddScript(const Rule& rule, absl::string_view script_id,
               absl::string_view text, v1::Decision* decision) {
  v1::Script* script = decision->add_scripts();
  script->mutable_id()->assign(script_id.data(), script_id.size());
  script->mutable_text()->assign(text.data(), text.size());
  script->set_rule_id(rule.id);
  Cite(rule, decision);
}

void AddStep(const Rule& rule, absl::string_view text, v1::Decision* decision) {
  v1::Step* step = decision->add_steps();
  step->mutable_text()->assign(text.data(), text.size());
  step->set_rule_id(rule.id);
  Cite(rule, decision);
}

void AddSteps(const Rule& rule, std::initializer_list<absl::string_view> texts,
              v1::Decision* decision) {
  for (absl::string_view text : texts) AddStep(rule, text, decision);
}

void AddNote(const Rule& rule, absl::string_view text, v1::Decision* decision) {
  decision->add_notes()->assign(text.data(), text.size());
  Cite(rule, decision);
}

void AddNotes(const Rule& rule, absl::Span<const absl::string_view> texts,
              v1::Decision* decision) {
  for (absl::string_view text : texts) decision->add_notes()->assign(text.data(), text.size());
  if (!texts.empty()) Cite(rule, decision);
}

v1::RequiredRecord* AddRecord(const Rule& rule, v1::TaskSystem system,
                              v1::TaskKind kind, absl::string_view when,
                              v1::Decision* decision) {
  v1::RequiredRecord* record = decision->add_required_records();
  record->set_system(system);
  record->set_kind(kind);
  record->mutable_when()->assign(when.data(), when.size());
  record->set_rule_id(rule.id);
  Cite(rule, decision);
  return record;
}

v1::RecordField* AddField(absl::string_view name, absl::string_view value,
                          absl::string_view description,
                          v1::RequiredRecord* record) {
  v1::RecordField* field = record->add_fields();
  field->mutable_name()->assign(name.data(), name.size());
  field->mutable_value()->assign(value.data(), value.size());
  field->mutable_description()->assign(description.data(), description.size());
  return field;
}

v1::Decision* Propose(v1::Priority priority,
                      v1::PluginRouteResponse* response) {
  v1::Proposal* proposal = response->add_proposals();
  proposal->set_priority(priority);
  return proposal->mutable_decision();
}

void AddViolation(const Rule& rule, absl::string_view field,
                  absl::string_view message, v1::Severity severity,
                  v1::PluginValidateResponse* response) {
  v1::Violation* v = response->add_violations();
  v->set_rule_id(rule.id);
  v->mutable_field()->assign(field.data(), field.size());
  v->mutable_message()->assign(message.data(), message.size());
  v->set_severity(severity);
  Cite(rule, response);
}

void AddFinding(const Rule& rule, absl::string_view code,
                absl::string_view message,
                v1::PluginValidateResponse* response) {
  v1::Finding* f = response->add_findings();
  f->set_rule_id(rule.id);
  f->mutable_code()->assign(code.data(), code.size());
  f->mutable_message()->assign(message.data(), message.size());
  Cite(rule, response);
}

std::string FillCustomerName(absl::string_view text, absl::string_view name) {
  if (name.empty()) return std::string(text);
  return absl::StrReplaceAll(text, {{"[customer name]", name}});
}

}  // namespace escalation::sdk
