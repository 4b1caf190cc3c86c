// The validation rules of "T2 Live Transfer from Membership Services" as a
// validate table (escalation/sdk/rule_table.h): each row a declared rule of
// rules.h, when it applies to a T2 task, and its check (MS-2 … MS-5).
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::membership_services {
namespace {

bool Same(absl::string_view a, absl::string_view b) {
  return absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(a),
                                absl::StripAsciiWhitespace(b));
}

// "membership services or retention"
bool FromMembershipOrRetention(const v1::Task& task) {
  return task.origin_department() == v1::MEMBERSHIP_SERVICES ||
         task.origin_department() == v1::TELESALES_RETENTION;
}

// MS-2.
void CheckCategory(const v1::Task& task, v1::PluginValidateResponse* response) {
  sdk::Cite(kCategory, response);
  if (Same(task.category(), words::kCategoryValue)) return;
  sdk::AddViolation(
      kCategory, "category",
      absl::StrCat("A T2 task for a transfer from ",
                   task.origin_department() == v1::DEPARTMENT_UNSPECIFIED
                       ? std::string("Membership Services or Retention")
                       : v1::Department_Name(task.origin_department()),
                   " must have Category \"Membership Services\"; it is \"",
                   sdk::Quote(task.category()), "\"."),
      v1::ERROR, response);
}

// MS-3 and MS-4.
void CheckResolutionReasons(const v1::Task& task,
                            v1::PluginValidateResponse* response) {
  sdk::Cite(kOneReason, response);
  sdk::Cite(kNoneRemoved, response);
  std::vector<std::string> reasons;
  bool has_none = false;
  for (const std::string& reason : task.resolution_reasons()) {
    if (Same(reason, words::kNone)) {
      has_none = true;
    } else {
      reasons.push_back(std::string(absl::StripAsciiWhitespace(reason)));
    }
  }
  if (has_none) {
    sdk::AddViolation(kNoneRemoved, "resolution_reasons",
                      absl::StrCat("Remove \"None\" from ",
                                   words::kResolutionField, "."),
                      v1::ERROR, response);
  }
  if (reasons.size() != 1) {
    sdk::AddViolation(
        kOneReason, "resolution_reasons",
        absl::StrCat(words::kResolutionField, " holds ", reasons.size(),
                     " reasons besides \"None\"; ", words::kSelectOne),
        v1::ERROR, response);
    return;
  }
  const ReasonFinding* finding = &kOtherReasonFinding;
  for (const ReasonFinding& named : NamedReasonFindings()) {
    if (Same(reasons[0], named.reason)) finding = &named;
  }
  sdk::AddFinding(kRetentionFinding, finding->code,
                  absl::StrCat("Resolution reason \"", sdk::Quote(reasons[0]), "\". ",
                               finding->meaning),
                  response);
}

void WarnMissing(absl::string_view field, v1::PluginValidateResponse* response) {
  sdk::AddViolation(kCreatedAfterCall, field,
                    absl::StrCat(field, " is missing, so it cannot be checked "
                                        "that the task was created after the "
                                        "call ended."),
                    v1::WARNING, response);
}

// MS-5.
void CheckCreatedAfterCall(const v1::Task& task,
                           v1::PluginValidateResponse* response) {
  sdk::Cite(kCreatedAfterCall, response);
  if (!task.has_created_at()) WarnMissing("created_at", response);
  if (!task.has_call_ended_at()) WarnMissing("call_ended_at", response);
  if (!task.has_created_at() || !task.has_call_ended_at()) return;
  const absl::Duration early =
      sdk::FromProto(task.call_ended_at()) - sdk::FromProto(task.created_at());
  if (early <= absl::ZeroDuration()) return;
  sdk::AddViolation(
      kCreatedAfterCall, "created_at",
      absl::StrCat("The T2 task was created ", absl::FormatDuration(early),
                   " before the call ended. ", words::kAfterCall),
      v1::ERROR, response);
}

// The record type or the origin identifies a Membership transfer (MS-2); so
// does the Category for MS-3 and MS-4.
bool Typed(const Check& c) { return c.task.record_type() == kT2TaskType; }
bool FromMembership(const Check& c) { return Typed(c) || FromMembershipOrRetention(c.task); }
bool Placed(const Check& c) {
  return FromMembership(c) || Same(c.task.category(), words::kCategoryValue);
}

}  // namespace

sdk::ValidateTable<Check> ValidateRules() {
  return sdk::ValidateTable<Check>({
      {kCategory, FromMembership,
       [](const sdk::Rule&, const Check& c, v1::PluginValidateResponse* r) {
         CheckCategory(c.task, r);
       }},
      {kOneReason, Placed,
       [](const sdk::Rule&, const Check& c, v1::PluginValidateResponse* r) {
         CheckResolutionReasons(c.task, r);
       }},
      // Not placed, and the origin not given: say what would be checked.
      {kCategory,
       [](const Check& c) {
         return !Placed(c) && c.task.origin_department() == v1::DEPARTMENT_UNSPECIFIED;
       },
       [](const sdk::Rule& rule, const Check&, v1::PluginValidateResponse* r) {
         sdk::FindingNotKnown(
             rule, "origin_department",
             "the call was a live transfer from Membership Services or Retention",
             "Category must be \"Membership Services\" with one resolution reason "
             "(ms.t2_task.category); set origin_department, or record_type "
             "membership_services.t2_task, to have it checked",
             r);
       }},
      {kCreatedAfterCall, [](const Check&) { return true; },
       [](const sdk::Rule&, const Check& c, v1::PluginValidateResponse* r) {
         CheckCreatedAfterCall(c.task, r);
       }},
      {kCategory, Typed,
       [](const sdk::Rule& rule, const Check& c, v1::PluginValidateResponse* r) {
         sdk::CheckRecordFields(rule, T2TaskType(), c.task, r);
       }},
  });
}

}  // namespace escalation::membership_services
