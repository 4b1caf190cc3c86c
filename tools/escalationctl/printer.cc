#include "tools/escalationctl/printer.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"

namespace escalationctl {
namespace {

namespace v1 = ::escalation::v1;

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string FormatDuration(const google::protobuf::Duration& d) {
  return absl::FormatDuration(absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos()));
}

// " [rule id]" or nothing.
std::string RuleTag(const std::string& rule_id) {
  return rule_id.empty() ? "" : absl::StrCat("  [", rule_id, "]");
}

std::string DestinationName(v1::Decision::Destination destination) {
  return v1::Decision::Destination_Name(destination);
}

void PrintHeadline(const v1::Decision& decision, std::ostream& out) {
  out << "Decision: " << v1::Action_Name(decision.action());
  if (decision.destination() != v1::Decision::DESTINATION_UNSPECIFIED) {
    out << " -> " << DestinationName(decision.destination());
  }
  if (decision.transfer_mode() != v1::TRANSFER_MODE_UNSPECIFIED) {
    out << " (" << v1::TransferMode_Name(decision.transfer_mode()) << " transfer)";
  }
  out << "\n";
  if (decision.requires_supervisor_approval()) {
    out << "Needs a supervisor's permission first.\n";
  }
  if (!decision.summary().empty()) out << "Summary: " << decision.summary() << "\n";
}

void PrintScriptsAndSteps(const v1::Decision& decision, std::ostream& out) {
  if (!decision.scripts().empty()) {
    out << "\nSay (word for word):\n";
    for (const v1::Script& script : decision.scripts()) {
      out << "  - \"" << script.text() << "\"" << RuleTag(script.rule_id()) << "\n";
    }
  }
  if (!decision.steps().empty()) {
    out << "\nSteps:\n";
    int number = 1;
    for (const v1::Step& step : decision.steps()) {
      out << "  " << number++ << ". " << step.text() << RuleTag(step.rule_id()) << "\n";
    }
  }
}

void PrintRecordField(const v1::RecordField& field, std::ostream& out) {
  out << "      " << field.name() << ": ";
  if (!field.value().empty()) {
    out << "\"" << field.value() << "\"";
  } else {
    out << (field.description().empty() ? "(any)" : field.description());
  }
  if (!field.allowed_values().empty()) {
    out << " — one of: " << absl::StrJoin(field.allowed_values(), " | ");
  }
  out << "\n";
}

void PrintRecords(const v1::Decision& decision, std::ostream& out) {
  if (decision.required_records().empty()) return;
  out << "\nRecords to create:\n";
  for (const v1::RequiredRecord& record : decision.required_records()) {
    out << "  - " << v1::TaskKind_Name(record.kind());
    if (record.system() != v1::TASK_SYSTEM_UNSPECIFIED) {
      out << " in " << v1::TaskSystem_Name(record.system());
    }
    if (!record.when().empty()) out << ", " << record.when();
    out << RuleTag(record.rule_id()) << "\n";
    for (const v1::RecordField& field : record.fields()) PrintRecordField(field, out);
  }
}

void PrintCallback(const v1::Decision& decision, std::ostream& out) {
  if (!decision.has_callback()) return;
  const v1::CallbackPromise& promise = decision.callback();
  out << "\nCallback promise:" << RuleTag(promise.rule_id()) << "\n";
  if (!promise.summary().empty()) out << "  " << promise.summary() << "\n";
  if (promise.has_anchor()) out << "  counted from: " << FormatInstant(promise.anchor()) << "\n";
  if (promise.has_first_contact_within() || promise.has_first_contact_due()) {
    out << "  first contact within " << FormatDuration(promise.first_contact_within());
    if (promise.has_first_contact_due()) {
      out << ", due " << FormatInstant(promise.first_contact_due());
    }
    out << "\n";
  }
  if (promise.has_retry_within() || promise.has_retry_due()) {
    out << "  retry within " << FormatDuration(promise.retry_within());
    if (promise.has_retry_due()) out << ", due " << FormatInstant(promise.retry_due());
    out << "\n";
  }
  if (!promise.if_unreachable().empty()) {
    out << "  if unreachable: " << promise.if_unreachable() << "\n";
  }
}

void PrintHours(const v1::Decision& decision, std::ostream& out) {
  if (!decision.has_destination_hours()) return;
  const v1::DestinationHours& hours = decision.destination_hours();
  out << "\nHours of " << DestinationName(hours.destination()) << ": "
      << (hours.open_now() ? "open now" : "CLOSED now") << RuleTag(hours.rule_id()) << "\n";
  if (!hours.schedule().empty()) {
    out << "  " << hours.schedule();
    if (!hours.time_zone().empty()) out << " (" << hours.time_zone() << ")";
    out << "\n";
  }
  if (!hours.open_now() && hours.has_next_opening()) {
    out << "  next opening: " << FormatInstant(hours.next_opening()) << "\n";
  }
}

void PrintRules(const google::protobuf::RepeatedPtrField<v1::MatchedRule>& rules,
                const std::string& heading, std::ostream& out) {
  if (rules.empty()) return;
  out << "\n" << heading << ":\n";
  for (const v1::MatchedRule& rule : rules) {
    out << "  - " << rule.rule_id();
    if (!rule.title().empty()) out << ": " << rule.title();
    out << "\n      article \"" << rule.source_article() << "\"; plugin "
        << rule.plugin();
    if (!rule.plugin_version().empty()) out << " " << rule.plugin_version();
    out << "\n";
  }
}

}  // namespace

std::string FormatInstant(const google::protobuf::Timestamp& timestamp) {
  const absl::Time time = ToTime(timestamp);
  std::string text = absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone());
  absl::TimeZone eastern;
  if (absl::LoadTimeZone("America/New_York", &eastern)) {
    absl::StrAppend(&text, " (", absl::FormatTime("%a %Y-%m-%d %H:%M %Z", time, eastern), ")");
  }
  return text;
}

void PrintRoute(const v1::RouteResponse& response, std::ostream& out) {
  const v1::Decision& decision = response.decision();
  PrintHeadline(decision, out);
  if (response.has_evaluation_time()) {
    out << "Evaluated at: " << FormatInstant(response.evaluation_time()) << "\n";
  }
  PrintScriptsAndSteps(decision, out);
  PrintRecords(decision, out);
  PrintCallback(decision, out);
  PrintHours(decision, out);
  if (!decision.notes().empty()) {
    out << "\nNotes:\n";
    for (const std::string& note : decision.notes()) out << "  - " << note << "\n";
  }
  PrintRules(decision.matched_rules(), "Because of these rules", out);
}

void PrintValidation(const v1::ValidateTaskResponse& response, std::ostream& out) {
  out << "Task is " << (response.valid() ? "VALID" : "INVALID");
  int warnings = 0;
  for (const v1::Violation& v : response.violations()) warnings += v.severity() == v1::WARNING;
  const int errors = response.violations_size() - warnings;
  std::vector<std::string> counts;
  if (errors > 0) counts.push_back(absl::StrCat(errors, errors == 1 ? " error" : " errors"));
  if (warnings > 0) {
    counts.push_back(absl::StrCat(warnings, warnings == 1 ? " warning" : " warnings"));
  }
  if (!counts.empty()) out << " (" << absl::StrJoin(counts, ", ") << ")";
  out << "\n";
  if (response.has_evaluation_time()) {
    out << "Evaluated at: " << FormatInstant(response.evaluation_time()) << "\n";
  }
  if (!response.violations().empty()) {
    out << "\nViolations:\n";
    for (const v1::Violation& violation : response.violations()) {
      out << "  - " << v1::Severity_Name(violation.severity()) << " in field '"
          << violation.field() << "': " << violation.message() << "\n      rule "
          << violation.rule_id() << ", plugin " << violation.plugin() << "\n";
    }
  }
  if (!response.findings().empty()) {
    out << "\nFindings:\n";
    for (const v1::Finding& finding : response.findings()) {
      out << "  - " << finding.code() << ": " << finding.message() << "\n      rule "
          << finding.rule_id() << ", plugin " << finding.plugin() << "\n";
    }
  }
  PrintRules(response.checked_rules(), "Rules checked", out);
}

void PrintPlugins(const v1::ListPluginsResponse& response, std::ostream& out) {
  if (response.plugins().empty()) {
    out << "No plugins loaded.\n";
    return;
  }
  for (const v1::PluginInfo& info : response.plugins()) {
    const v1::PluginManifest& manifest = info.manifest();
    out << manifest.name() << " " << manifest.version() << " (ABI " << info.abi_major()
        << "." << info.abi_minor() << ")\n";
    if (!manifest.description().empty()) out << "  " << manifest.description() << "\n";
    out << "  file: " << info.path() << "\n";
    out << "  config: " << (info.config_path().empty() ? "(none)" : info.config_path()) << "\n";
    std::vector<std::string> names;
    for (int d : manifest.routes_for()) names.push_back(v1::Department_Name(d));
    if (!names.empty()) out << "  routes calls of: " << absl::StrJoin(names, ", ") << "\n";
    names.clear();
    for (int d : manifest.admits_for()) names.push_back(DestinationName(v1::Decision::Destination(d)));
    if (!names.empty()) out << "  admits transfers to: " << absl::StrJoin(names, ", ") << "\n";
    names.clear();
    for (int k : manifest.validates()) names.push_back(v1::TaskKind_Name(k));
    if (!names.empty()) out << "  validates: " << absl::StrJoin(names, ", ") << "\n";
    out << "  rules:\n";
    for (const v1::RuleInfo& rule : manifest.rules()) {
      out << "    - " << rule.id() << ": " << rule.title() << " (\""
          << rule.source_article() << "\")\n";
    }
    if (!manifest.extension_facts().empty()) out << "  extension facts:\n";
    for (const v1::ExtensionFactInfo& fact : manifest.extension_facts()) {
      absl::string_view type = v1::ExtensionFactType_Name(fact.type());
      absl::ConsumePrefix(&type, "EXTENSION_FACT_TYPE_");
      out << "    - " << fact.name() << " (" << absl::AsciiStrToLower(type) << "): "
          << fact.meaning() << "\n";
    }
    if (!manifest.output_edits().empty()) out << "  edits proposals it admits:\n";
    for (const v1::OutputEdit& edit : manifest.output_edits()) {
      out << "    - " << edit.rule_id() << " removes the citation of " << edit.removes_rule_id();
      if (!edit.removes_script_id().empty()) {
        out << " and its script " << edit.removes_script_id();
      }
      out << "\n";
    }
  }
  if (!response.overlaps().empty()) out << "Overlaps:\n";
  for (const v1::PluginOverlap& overlap : response.overlaps()) {
    out << "  - " << overlap.summary() << "\n";
  }
}

}  // namespace escalationctl
