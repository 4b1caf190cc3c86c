// The validation rules of "Telesales and Retention Call Escalations" as a
// validate table (escalation/sdk/rule_table.h): each row a declared rule of
// rules.h, when it applies to a task, and its check. The Supervisor Call Back
// Follow-Up Request (TSR-4) and the Communication History Log entry (TSR-2).
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::telesales_retention {
namespace {

using Response = v1::PluginValidateResponse;

bool IsCallbackRequest(const Check& c) {
  return c.task.kind() == v1::SUPERVISOR_CALLBACK_REQUEST;
}
bool BothTimesGiven(const Check& c) {
  return c.task.has_created_at() && c.task.has_callback_scheduled_at();
}

// TSR-4: submitted in QuickBase.
void CheckInQuickBase(const sdk::Rule& rule, const Check& c, Response* response) {
  sdk::Cite(rule, response);
  if (c.task.system() == v1::QUICKBASE) return;
  sdk::AddViolation(
      rule, "system",
      absl::StrCat("A Supervisor Call Back Follow-Up Request is submitted in "
                   "QuickBase (BPO agents email their supervisors instead); "
                   "system is ",
                   c.task.system() == v1::TASK_SYSTEM_UNSPECIFIED
                       ? "not set"
                       : v1::TaskSystem_Name(c.task.system()),
                   "."),
      v1::ERROR, response);
}

// TSR-4: the callback within the 48 hours the caller was told.
void CheckWithin48h(const sdk::Rule& rule, const Check& c, Response* response) {
  sdk::Cite(rule, response);
  const absl::Duration wait = sdk::FromProto(c.task.callback_scheduled_at()) -
                              sdk::FromProto(c.task.created_at());
  if (wait <= kCallbackTurnaround) return;
  sdk::AddViolation(
      rule, "callback_scheduled_at",
      absl::StrCat("The callback is scheduled ", absl::FormatDuration(wait),
                   " after the request, but the caller is told that the "
                   "turnaround time for a callback is 48 hours."),
      v1::WARNING, response);
}

// TSR-2: which entries document a caller's request to speak to a Supervisor:
// those of the record type, and those whose fields.supervisor_request is true.
bool IsHistoryEntry(const Check& c) {
  return c.task.kind() == v1::COMMUNICATION_HISTORY_ENTRY;
}
bool Typed(const Check& c) { return c.task.record_type() == kHistoryEntryType; }
const google::protobuf::Value* Marker(const Check& c) {
  const auto& fields = c.task.fields().fields();
  auto marker = fields.find("supervisor_request");
  return marker == fields.end() ? nullptr : &marker->second;
}
bool DocumentsRequest(const Check& c) {
  if (Typed(c)) return true;
  const google::protobuf::Value* marker = Marker(c);
  return marker != nullptr && marker->has_bool_value() && marker->bool_value();
}

// TSR-2: the entry documents the request to speak to a Supervisor.
void CheckHistoryText(const sdk::Rule& rule, const Check& c, Response* response) {
  sdk::Cite(rule, response);
  const std::string text =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(c.task.text()));
  if (text.empty()) {
    sdk::AddViolation(rule, "text",
                      "The entry must document the request to speak to a "
                      "Supervisor; its text is empty.",
                      v1::ERROR, response);
  } else if (!absl::StrContains(text, "supervisor")) {
    sdk::AddViolation(rule, "text",
                      "The entry does not mention the request to speak to a "
                      "Supervisor; document the request.",
                      v1::WARNING, response);
  }
}

}  // namespace

sdk::ValidateTable<Check> ValidateRules() {
  return sdk::ValidateTable<Check>({
      // ---- TSR-4 Supervisor Call Back Follow-Up Request ----
      {kRequestInQuickBase, IsCallbackRequest, CheckInQuickBase},
      // Checked only when both times are given; otherwise a finding says so.
      {kRequestWithin48h,
       [](const Check& c) { return IsCallbackRequest(c) && !BothTimesGiven(c); },
       [](const sdk::Rule& rule, const Check& c, Response* response) {
         sdk::FindingNotKnown(
             rule, c.task.has_created_at() ? "callback_scheduled_at" : "created_at",
             "the callback is scheduled more than 48 hours after the request",
             "the caller was promised a turnaround of 48 hours "
             "(tsr.callback_request.within_48h, a warning)",
             response);
       }},
      {kRequestWithin48h,
       [](const Check& c) { return IsCallbackRequest(c) && BothTimesGiven(c); },
       CheckWithin48h},
      // ---- TSR-2 Communication History Log entry ----
      // Not known to be the TSR-2 record: say what would be checked.
      {kClaimHistoryEntry,
       [](const Check& c) { return IsHistoryEntry(c) && !Typed(c) && Marker(c) == nullptr; },
       [](const sdk::Rule& rule, const Check&, Response* response) {
         sdk::FindingNotKnown(
             rule, "fields.supervisor_request",
             "this entry documents a caller's request to speak to a Supervisor "
             "(TSR-2)",
             "its text must document the request (tsr.claim_related.history_entry); "
             "set fields.supervisor_request, or record_type " +
                 std::string(kHistoryEntryType) + ", to have it checked",
             response);
       }},
      {kClaimHistoryEntry,
       [](const Check& c) {
         return IsHistoryEntry(c) && !Typed(c) && Marker(c) != nullptr &&
                !Marker(c)->has_bool_value();
       },
       [](const sdk::Rule& rule, const Check&, Response* response) {
         sdk::AddViolation(rule, "fields.supervisor_request",
                           "fields.supervisor_request must be true or false.",
                           v1::ERROR, response);
       }},
      {kClaimHistoryEntry,
       [](const Check& c) { return IsHistoryEntry(c) && DocumentsRequest(c); },
       CheckHistoryText},
  });
}

}  // namespace escalation::telesales_retention
