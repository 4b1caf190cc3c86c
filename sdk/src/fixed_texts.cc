#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/plugin.h"
#include "fixed_access.h"

namespace escalation::sdk {
namespace {

// What every citation's bytes end with, before the index (U+FDD0 in UTF-8).
constexpr char kCitationPrefix[] = "\xEF\xB7\x90";


// The plugin whose decisions cite its fixed texts on this thread, now.
thread_local const Plugin* citing = nullptr;
// Whether any instance of this shared object cites: until one does, the
// thread-local (a call into the dynamic loader's TLS lookup here) is never read.
std::atomic<bool> any_citing{false};

// How many items of each list `d` holds, and whether it holds anything else.
bool OnePiece(const v1::Decision& d) {
  const int items = d.scripts_size() + d.steps_size() + d.required_records_size() +
                    d.matched_rules_size() + d.notes_size();
  if (items + (d.summary().empty() ? 0 : 1) != 1) return false;
  v1::Decision rest = d;
  rest.clear_scripts();
  rest.clear_steps();
  rest.clear_required_records();
  rest.clear_matched_rules();
  rest.clear_notes();
  rest.clear_summary();
  return rest.ByteSizeLong() == 0;
}

// The order of the declared rules' ids: by length first, so that looking one
// up mostly compares lengths rather than bytes.
bool IdBefore(absl::string_view a, absl::string_view b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

using FixedRules = std::vector<std::pair<std::string, const FixedDecision*>>;

// The matched rule declared first for the rule `id` in `rules` (sorted by
// IdBefore, stably), or null.
const FixedDecision* FindRule(const FixedRules& rules, absl::string_view id) {
  auto it = std::lower_bound(
      rules.begin(), rules.end(), id,
      [](const FixedRules::value_type& a, absl::string_view b) { return IdBefore(a.first, b); });
  return it != rules.end() && it->first == id ? it->second : nullptr;
}

}  // namespace

const FixedDecision& Plugin::DeclareFixed(v1::Decision fragment) {
  if (!OnePiece(fragment) && fixed_error_.ok()) {
    fixed_error_ = absl::InvalidArgumentError(absl::StrCat(
        "fixed text ", fixed_.size(),
        " declared with DeclareFixed holds more or less than one script, step, required "
        "record, matched rule or note, or a summary alone"));
  }
  return DeclareFixedItems(std::move(fragment));
}

const FixedDecision& Plugin::DeclareFixedItems(v1::Decision fragment) {
  auto fixed = std::make_unique<FixedDecision>();
  fixed->owner_ = this;
  fixed->citation_ = absl::StrCat(kCitationPrefix, fixed_.size());
  fixed->decision_ = std::move(fragment);
  fixed_.push_back(std::move(fixed));
  return *fixed_.back();
}

absl::Status FixedAccess::Seal(Plugin& plugin) {
  FixedRules& rules = plugin.fixed_rules_;
  std::stable_sort(rules.begin(), rules.end(),
                   [](const auto& a, const auto& b) { return IdBefore(a.first, b.first); });
  for (const auto& fixed : plugin.fixed_) {
    if (fixed->cites_ != nullptr) fixed->cited_rule_ = FindRule(rules, fixed->cites_->id);
  }
  return plugin.fixed_error_;
}

std::string FixedAccess::Declared(const Plugin& plugin) {
  // Measured: citing only the rules costs the host more (it copies each
  // answer to expand it) than it saves the plugin, so a plugin that declared
  // nothing but its rules declares no fixed texts, and answers as in ABI 1.0.
  if (plugin.fixed_.size() == plugin.fixed_rules_.size()) return {};
  // PluginFixedTexts.decision_fragments (field 1) written here, so this
  // file builds against the frozen v1.0 API too (tests/compat).
  std::string wire;
  for (const auto& fixed : plugin.fixed_) {
    const std::string fragment = fixed->decision_.SerializeAsString();
    wire.push_back('\x0A');  // Field 1, length-delimited.
    for (uint64_t size = fragment.size(); ; size >>= 7) {
      if (size < 0x80) {
        wire.push_back(static_cast<char>(size));
        break;
      }
      wire.push_back(static_cast<char>((size & 0x7F) | 0x80));
    }
    wire += fragment;
  }
  return wire;
}

FixedAccess::CitingScope::CitingScope(const Plugin* plugin) : active_(plugin != nullptr) {
  if (!active_) return;
  any_citing.store(true, std::memory_order_relaxed);
  previous_ = citing;
  citing = plugin;
}
FixedAccess::CitingScope::~CitingScope() {
  if (active_) citing = previous_;
}

const FixedDecision* FixedAccess::CitedRule(absl::string_view id) {
  if (!any_citing.load(std::memory_order_relaxed) || citing == nullptr) return nullptr;
  return FindRule(citing->fixed_rules_, id);
}

const FixedDecision* FixedAccess::CitedRule(const Rule& rule, const FixedDecision& text) {
  // Seal found it for the rule object the text was declared citing; any
  // other rule (or another plugin citing) is looked up as Cite would.
  if (text.cites_ == &rule && text.cited_rule_ != nullptr && Cites(*text.cited_rule_)) {
    return text.cited_rule_;
  }
  return CitedRule(rule.id);
}

bool FixedAccess::Cites(const FixedDecision& fixed) {
  return Citing() && fixed.owner_ == citing;
}

bool FixedAccess::Citing() {
  return any_citing.load(std::memory_order_relaxed) && citing != nullptr;
}

void FixedAccess::DropCitedIds(v1::Decision* decision) {
  const auto is_citation = [](const std::string& s) {
    return s.size() > sizeof kCitationPrefix - 1 &&
           s.compare(0, sizeof kCitationPrefix - 1, kCitationPrefix) == 0;
  };
  for (v1::MatchedRule& rule : *decision->mutable_matched_rules()) {
    if (is_citation(rule.source_article())) rule.clear_rule_id();
  }
  for (v1::Script& script : *decision->mutable_scripts()) {
    if (is_citation(script.rule_id())) script.clear_id();
  }
#ifndef ESCALATION_SDK_ABI_1_0  // RequiredRecord.record_type came after v1.0.
  for (v1::RequiredRecord& record : *decision->mutable_required_records()) {
    if (is_citation(record.record_type())) record.clear_rule_id();
  }
#endif
}

void FixedAccess::AppendCitation(const FixedDecision& fixed, v1::Decision* decision) {
  const v1::Decision& d = fixed.decision_;
  // An item keeps its ids, and the citation goes in its last field written
  // (the string field numbered highest that it sets).
  const std::string& citation = fixed.citation_;
  if (d.matched_rules_size() == 1) {
    v1::MatchedRule* rule = decision->add_matched_rules();
    rule->set_rule_id(d.matched_rules(0).rule_id());
    rule->set_source_article(citation);
  } else if (d.scripts_size() == 1) {
    v1::Script* script = decision->add_scripts();
    script->set_id(d.scripts(0).id());
    script->set_rule_id(citation);
  } else if (d.steps_size() >= 1) {
    // Several steps are cited as one.
    decision->add_steps()->set_rule_id(citation);
  } else if (d.required_records_size() == 1) {
    const v1::RequiredRecord& from = d.required_records(0);
    v1::RequiredRecord* record = decision->add_required_records();
    record->set_system(from.system());
    record->set_kind(from.kind());
#ifdef ESCALATION_SDK_ABI_1_0  // RequiredRecord.record_type came after v1.0.
    record->set_when(citation);
#else
    record->set_rule_id(from.rule_id());
    record->set_record_type(citation);
#endif
  } else if (d.notes_size() >= 1) {
    decision->add_notes(citation);
  } else {
    decision->set_summary(citation);
  }
}

void EmitFixed(const FixedDecision& fixed, v1::Decision* decision) {
  if (FixedAccess::Cites(fixed)) return FixedAccess::AppendCitation(fixed, decision);
  decision->MergeFrom(fixed.decision());
}

}  // namespace escalation::sdk
