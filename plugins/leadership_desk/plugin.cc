#include "plugin.h"

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

constexpr char kLiveTransferKey[] = "leadership_desk_transfer";

bool Blank(const std::string& s) {
  return absl::StripAsciiWhitespace(s).empty();
}

void Error(const sdk::Rule& rule, absl::string_view field,
           absl::string_view message, v1::PluginValidateResponse* response) {
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
    return absl::InvalidArgumentError(absl::StrCat(
        "task.fields.", kLiveTransferKey, " must be a boolean"));
  }
  return it->second.bool_value();
}

}  // namespace

LeadershipDeskPlugin::LeadershipDeskPlugin() : admit_rules_(AdmitRules()) {
  SetDescription(
      "Leadership Desk: live transfers from Customer Service, the call back "
      "path after 3 minutes in the queue, Call Back exceptions, job notes");
  AdmitsFor(v1::Decision::LEADERSHIP_DESK);
  Validates(v1::CALL_BACK_EXCEPTION);
  Validates(v1::JOB_NOTE);
  for (const sdk::Rule* rule : AllRules()) DeclareRule(*rule);
  DeclareTable(admit_rules_);
}

absl::Status LeadershipDeskPlugin::Configure(
    const google::protobuf::Struct& config) {
  absl::StatusOr<Config> parsed = ParseConfig(config);
  if (!parsed.ok()) return parsed.status();
  config_ = *std::move(parsed);
  PrepareSiteSteps(&config_);
  types_.live_transfer_job_note = &DeclareRecordType(LiveTransferJobNoteType());
  types_.callback_exception = &DeclareRecordType(CallBackExceptionType(config_));
  types_.callback_job_note = &DeclareRecordType(CallBackJobNoteType());
  return absl::OkStatus();
}

absl::StatusOr<std::optional<const Site*>> LeadershipDeskPlugin::Admissible(
    const v1::PluginAdmitRequest& request) const {
  const v1::Decision& proposed = request.proposal().decision();
  // Only a transfer to the desk is ours to amend; anything else stays as is.
  if (proposed.destination() != v1::Decision::LEADERSHIP_DESK ||
      proposed.action() != v1::TRANSFER) {
    return std::nullopt;
  }
  absl::StatusOr<const Site*> site = config_.FindSite(request.call().site());
  if (!site.ok()) return site.status();
  if (absl::Status s = sdk::CheckPermissionFacts(request.call()); !s.ok()) return s;
  if (!request.has_evaluation_time()) {
    return absl::InvalidArgumentError("evaluation_time is required");
  }
  return *site;
}

void LeadershipDeskPlugin::Amend(const v1::PluginAdmitRequest& request,
                                 const Site* site, v1::Decision* amended) const {
  sdk::Apply(admit_rules_,
             Admission{request.call(), config_, site, types_,
                       sdk::FromProto(request.evaluation_time())},
             amended);
}

absl::Status LeadershipDeskPlugin::Admit(
    const v1::PluginAdmitRequest& request,
    v1::PluginAdmitResponse* response) const {
  absl::StatusOr<std::optional<const Site*>> site = Admissible(request);
  if (!site.ok()) return site.status();
  if (!site->has_value()) return absl::OkStatus();
  *response->mutable_amended() = request.proposal();
  Amend(request, **site, response->mutable_amended()->mutable_decision());
  return absl::OkStatus();
}

absl::Status LeadershipDeskPlugin::AdmitTaking(
    v1::PluginAdmitRequest* request, v1::PluginAdmitResponse* response) const {
  absl::StatusOr<std::optional<const Site*>> site = Admissible(*request);
  if (!site.ok()) return site.status();
  if (!site->has_value()) return absl::OkStatus();
  // On one arena (the SDK's, or both on the heap) Swap exchanges pointers.
  response->mutable_amended()->Swap(request->mutable_proposal());
  Amend(*request, **site, response->mutable_amended()->mutable_decision());
  return absl::OkStatus();
}

absl::Status LeadershipDeskPlugin::Validate(
    const v1::PluginValidateRequest& request,
    v1::PluginValidateResponse* response) const {
  switch (request.task().kind()) {
    case v1::CALL_BACK_EXCEPTION:
      ValidateException(request.task(), response);
      return absl::OkStatus();
    case v1::JOB_NOTE:
      return ValidateJobNote(request.task(), response);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("leadership_desk does not validate task kind ",
                       v1::TaskKind_Name(request.task().kind())));
  }
}

// LD-5.
void LeadershipDeskPlugin::ValidateException(
    const v1::Task& task, v1::PluginValidateResponse* response) const {
  const sdk::Rule& rule = kCallBackExceptionRule;

  sdk::Cite(rule, response);
  if (task.system() != v1::TASK_SYSTEM_UNSPECIFIED &&
      task.system() != v1::SERVICEBENCH) {
    Error(rule, "system", "The Call Back Exception is created in ServiceBench.",
          response);
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
  const auto& approved = config_.approved_exception_comments.all();
  const std::string comment(absl::StripAsciiWhitespace(task.text()));
  if (std::find(approved.begin(), approved.end(), comment) == approved.end()) {
    Error(rule, "text",
          absl::StrCat("The comment \"", sdk::Quote(comment),
                       "\" is not in the configured list of approved "
                       "Exception Comments: \"",
                       absl::StrJoin(approved, "\", \""), "\"."),
          response);
  }

  // Named as the record type: every field of the type, past the checks above.
  if (task.record_type() == kCallBackException) {
    sdk::CheckRecordFields(rule, *types_.callback_exception, task, response);
  }

  const sdk::Rule& after = kExceptionAfterCallRule;
  sdk::Cite(after, response);
  if (!task.has_call_ended_at() || !task.has_created_at()) {
    sdk::AddViolation(
        after, task.has_call_ended_at() ? "created_at" : "call_ended_at",
        "Cannot check that the Call Back Exception was created once the call "
        "had ended: set created_at and call_ended_at.",
        v1::WARNING, response);
  } else if (sdk::FromProto(task.created_at()) <
             sdk::FromProto(task.call_ended_at())) {
    Error(after, "created_at",
          "The Call Back Exception was created before the call ended; create "
          "it once the call has ended.",
          response);
  }
}

// LD-6, LD-2 or neither, chosen as the header says.
absl::Status LeadershipDeskPlugin::ValidateJobNote(
    const v1::Task& task, v1::PluginValidateResponse* response) const {
  for (const v1::RecordTypeInfo* type :
       {types_.callback_job_note, types_.live_transfer_job_note}) {
    if (type != nullptr && task.record_type() == type->id()) {
      ValidateJobNoteAs(*type, task, response);
      return absl::OkStatus();
    }
  }
  const bool callback = task.has_callback_scheduled_at();
  absl::StatusOr<bool> transfer = RecordsLiveTransfer(task);
  if (!transfer.ok()) return transfer.status();
  if (!callback && !*transfer) return absl::OkStatus();  // Not an LD note.
  const sdk::Rule& rule =
      callback ? kCallBackJobNoteRule : kLiveTransferJobNoteRule;
  sdk::Cite(rule, response);
  if (Blank(task.text())) {
    Error(rule, "text", "The job note must include details of the interaction.",
          response);
  }
  if (!callback && Blank(task.taken_over_by())) {
    Error(rule, "taken_over_by",
          "The job note records a Leadership Desk live transfer: it must "
          "advise the name of the agent that took over the call.",
          response);
  }
  return absl::OkStatus();
}

void LeadershipDeskPlugin::ValidateJobNoteAs(
    const v1::RecordTypeInfo& type, const v1::Task& task,
    v1::PluginValidateResponse* response) const {
  const bool callback = &type == types_.callback_job_note;
  const sdk::Rule& rule =
      callback ? kCallBackJobNoteRule : kLiveTransferJobNoteRule;
  if (Blank(task.text())) {
    Error(rule, "text", "The job note must include details of the interaction.",
          response);
  }
  sdk::CheckRecordFields(rule, type, task, response);
}

}  // namespace escalation::leadership_desk
