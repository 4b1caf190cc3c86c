#include "plugin.h"

#include "escalation/sdk/facts.h"

namespace escalation::leadership_desk {

LeadershipDeskPlugin::LeadershipDeskPlugin() {
  SetDescription(
      "Leadership Desk: live transfers from Customer Service, the call back "
      "path after 3 minutes in the queue, Call Back exceptions, job notes");
  AdmitsFor(v1::Decision::LEADERSHIP_DESK);
  AdmitsByEdit();
  Validates(v1::CALL_BACK_EXCEPTION);
  Validates(v1::JOB_NOTE);
}

absl::Status LeadershipDeskPlugin::Configure(const google::protobuf::Struct& config) {
  absl::StatusOr<Config> parsed = ParseConfig(config);
  if (!parsed.ok()) return parsed.status();
  config_ = *std::move(parsed);
  PrepareSiteSteps(&config_);
  types_.live_transfer_job_note = &DeclareRecordType(LiveTransferJobNoteType());
  types_.callback_exception = &DeclareRecordType(CallBackExceptionType(config_));
  types_.callback_job_note = &DeclareRecordType(CallBackJobNoteType());
  DeclareTable(admission_);
  DeclareTable(tasks_);
  return load_status();
}

absl::StatusOr<std::optional<const Site*>> LeadershipDeskPlugin::Admissible(
    const v1::PluginAdmitRequest& request) const {
  const v1::Decision& proposed = request.proposal().decision();
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

absl::Status LeadershipDeskPlugin::Admit(const v1::PluginAdmitRequest& request,
                                         v1::PluginAdmitResponse* response) const {
  absl::StatusOr<std::optional<const Site*>> site = Admissible(request);
  if (!site.ok()) return site.status();
  if (!site->has_value()) return absl::OkStatus();
  sdk::Apply(admission_, Admission{request.call(), config_, types_, **site},
             response->mutable_edit());
  return absl::OkStatus();
}

absl::Status LeadershipDeskPlugin::Validate(const v1::PluginValidateRequest& request,
                                            v1::PluginValidateResponse* response) const {
  absl::StatusOr<TaskCheck> task = TaskCheckOf(request.task(), config_, types_);
  if (!task.ok()) return task.status();
  sdk::Apply(tasks_, *task, response);
  return absl::OkStatus();
}

}  // namespace escalation::leadership_desk
