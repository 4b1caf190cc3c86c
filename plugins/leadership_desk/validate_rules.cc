// The Leadership Desk's tasks, checked against the article "Leadership Desk":
// the job note after a live transfer (LD-2), the Call Back Exception (LD-5)
// and the job note after a scheduled call back (LD-6).
//
// A JOB_NOTE with `callback_scheduled_at` set is the LD-6 note. Otherwise a
// note that records a Leadership Desk live transfer — it names who took over
// (`taken_over_by`) or sets the Struct key `fields.leadership_desk_transfer:
// true` — is the LD-2 note. Any other job note is not the Leadership Desk's:
// no rule applies, no violation (design reading). A task that names its
// record type is checked as that record whatever its fields say: every field
// of the type must be filled in.
#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::leadership_desk {
namespace {

using Row = sdk::CheckRow<TaskCheck>;
using Response = v1::PluginValidateResponse;

constexpr char kLiveTransferKey[] = "leadership_desk_transfer";

bool Blank(const std::string& s) { return absl::StripAsciiWhitespace(s).empty(); }

void Error(const sdk::Rule& rule, absl::string_view field, absl::string_view message,
           Response* response) {
  sdk::AddViolation(rule, field, message, v1::ERROR, response);
}

// Whether a job note records a Leadership Desk live transfer (LD-2): it names
// who took over, or sets fields.leadership_desk_transfer to true.
absl::StatusOr<bool> RecordsLiveTransfer(const v1::Task& task) {
  if (!Blank(task.taken_over_by())) return true;
  const auto& fields = task.fields().fields();
  auto it = fields.find(kLiveTransferKey);
  if (it == fields.end()) return false;
  if (!it->second.has_bool_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("task.fields.", kLiveTransferKey, " must be a boolean"));
  }
  return it->second.bool_value();
}

bool IsException(const TaskCheck& t) { return t.task.kind() == v1::CALL_BACK_EXCEPTION; }
bool IsLiveTransferNote(const TaskCheck& t) { return t.note == JobNote::kLiveTransfer; }
bool IsCallBackNote(const TaskCheck& t) { return t.note == JobNote::kCallBack; }

// Both notes carry the details of the interaction; a note named by its
// record type has every field of the type, else its rule is cited.
void CheckJobNote(const sdk::Rule& rule, const TaskCheck& t,
                  const v1::RecordTypeInfo* type, Response* response) {
  if (!t.named) sdk::Cite(rule, response);
  if (Blank(t.task.text())) {
    Error(rule, "text", "The job note must include details of the interaction.", response);
  }
  if (t.named) sdk::CheckRecordFields(rule, *type, t.task, response);
}

// ---- LD-2 ----
void CheckLiveTransferNote(const sdk::Rule& rule, const TaskCheck& t, Response* response) {
  CheckJobNote(rule, t, t.types.live_transfer_job_note, response);
  if (!t.named && Blank(t.task.taken_over_by())) {
    Error(rule, "taken_over_by",
          "The job note records a Leadership Desk live transfer: it must advise the "
          "name of the agent that took over the call.",
          response);
  }
}

// ---- LD-5 ----
void CheckException(const sdk::Rule& rule, const TaskCheck& t, Response* response) {
  const v1::Task& task = t.task;
  sdk::Cite(rule, response);
  if (task.system() != v1::TASK_SYSTEM_UNSPECIFIED && task.system() != v1::SERVICEBENCH) {
    Error(rule, "system", "The Call Back Exception is created in ServiceBench.", response);
  }
  if (task.exception_type() != "Call Back") {
    Error(rule, "exception_type",
          absl::StrCat("Exception Type must be \"Call Back\", not \"",
                       sdk::Quote(task.exception_type()), "\"."),
          response);
  }
  if (task.exception_status() != "Open") {
    Error(rule, "exception_status",
          absl::StrCat("Exception Status must be \"Open\", not \"",
                       sdk::Quote(task.exception_status()), "\"."),
          response);
  }
  const auto& approved = t.config.approved_exception_comments.all();
  const std::string comment(absl::StripAsciiWhitespace(task.text()));
  if (std::find(approved.begin(), approved.end(), comment) == approved.end()) {
    Error(rule, "text",
          absl::StrCat("The comment \"", sdk::Quote(comment),
                       "\" is not in the configured list of approved Exception "
                       "Comments: \"",
                       absl::StrJoin(approved, "\", \""), "\"."),
          response);
  }
  // Named as the record type: every field of the type, past the checks above.
  if (task.record_type() == kCallBackException) {
    sdk::CheckRecordFields(rule, *t.types.callback_exception, task, response);
  }
}

void CheckCreatedAfterTheCall(const sdk::Rule& rule, const TaskCheck& t, Response* response) {
  const v1::Task& task = t.task;
  sdk::Cite(rule, response);
  if (!task.has_call_ended_at() || !task.has_created_at()) {
    sdk::AddViolation(rule, task.has_call_ended_at() ? "created_at" : "call_ended_at",
                      "Cannot check that the Call Back Exception was created once the "
                      "call had ended: set created_at and call_ended_at.",
                      v1::WARNING, response);
  } else if (sdk::FromProto(task.created_at()) < sdk::FromProto(task.call_ended_at())) {
    Error(rule, "created_at",
          "The Call Back Exception was created before the call ended; create it once "
          "the call has ended.",
          response);
  }
}

// ---- LD-6 ----
void CheckCallBackNote(const sdk::Rule& rule, const TaskCheck& t, Response* response) {
  CheckJobNote(rule, t, t.types.callback_job_note, response);
}

}  // namespace

absl::StatusOr<TaskCheck> TaskCheckOf(const v1::Task& task, const Config& config,
                                      const RecordTypes& types) {
  TaskCheck t{task, config, types, JobNote::kNone, false};
  switch (task.kind()) {
    case v1::CALL_BACK_EXCEPTION:
      return t;
    case v1::JOB_NOTE:
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "leadership_desk does not validate task kind ", v1::TaskKind_Name(task.kind())));
  }
  if (task.record_type() == kCallBackJobNote || task.record_type() == kLiveTransferJobNote) {
    t.named = true;
    t.note = task.record_type() == kCallBackJobNote ? JobNote::kCallBack : JobNote::kLiveTransfer;
    return t;
  }
  absl::StatusOr<bool> transfer = RecordsLiveTransfer(task);
  if (!transfer.ok()) return transfer.status();
  if (task.has_callback_scheduled_at()) {
    t.note = JobNote::kCallBack;
  } else if (*transfer) {
    t.note = JobNote::kLiveTransfer;
  }
  return t;
}

std::vector<Row> TaskRows() {
  return {
      {LiveTransferJobNoteRule(), IsLiveTransferNote, CheckLiveTransferNote},  // LD-2
      {CallBackExceptionRule(), IsException, CheckException},                  // LD-5
      {{"ld.callback.exception_after_call",
        "The Call Back Exception is created once the call has ended", kArticle},
       IsException,
       CheckCreatedAfterTheCall},
      {CallBackJobNoteRule(), IsCallBackNote, CheckCallBackNote},  // LD-6
  };
}

}  // namespace escalation::leadership_desk
