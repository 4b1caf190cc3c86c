#include "server/plugin_host/policy_engine.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/plugin_host/merge.h"
#include "server/plugin_host/request_checks.h"

namespace escalation::host {
namespace {

google::protobuf::Timestamp EvaluationTime(
    bool has_time, const google::protobuf::Timestamp& requested, absl::Time now) {
  return has_time ? requested
                  : google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
                        absl::ToUnixNanos(now));
}

// Records which plugin produced each rule that does not yet say so.
void Stamp(const LoadedPlugin& plugin,
           google::protobuf::RepeatedPtrField<v1::MatchedRule>* rules) {
  for (v1::MatchedRule& rule : *rules) {
    if (!rule.plugin().empty()) continue;
    rule.set_plugin(plugin.name());
    rule.set_plugin_version(plugin.version());
  }
}

}  // namespace

PolicyEngine::PolicyEngine(std::shared_ptr<const PluginRegistry> registry)
    : registry_(std::move(registry)) {}

absl::StatusOr<v1::RouteResponse> PolicyEngine::Route(
    const v1::RouteRequest& request, absl::Time now) const {
  if (absl::Status s = CheckWellFormed(request); !s.ok()) return s;
  const v1::CallFacts& call = request.call();
  if (call.department() == v1::DEPARTMENT_UNSPECIFIED) {
    return absl::InvalidArgumentError("call.department: required");
  }
  const std::vector<const LoadedPlugin*>& routers =
      registry_->RoutersFor(call.department());
  if (routers.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no plugin routes calls for department ",
                     v1::Department_Name(call.department())));
  }

  v1::PluginRouteRequest route_request;
  *route_request.mutable_call() = call;
  *route_request.mutable_evaluation_time() = EvaluationTime(
      request.has_evaluation_time(), request.evaluation_time(), now);

  std::vector<v1::Proposal> proposals;
  for (const LoadedPlugin* router : routers) {
    absl::StatusOr<v1::PluginRouteResponse> routed = router->Route(route_request);
    if (!routed.ok()) return routed.status();
    for (v1::Proposal& proposal : *routed->mutable_proposals()) {
      Stamp(*router, proposal.mutable_decision()->mutable_matched_rules());
      proposals.push_back(std::move(proposal));
    }
  }

  // Only proposals that can be part of the decision are admitted: an
  // outranked one is dropped by the merge, and its destination's refusal
  // (say, no site for a Leadership Desk transfer) must not fail the call.
  // Which ones is decided before any is amended.
  SortByPriority(&proposals);
  v1::Decision top;
  if (!proposals.empty()) {
    top.set_action(proposals.front().decision().action());
    top.set_destination(proposals.front().decision().destination());
  }
  for (v1::Proposal& proposal : proposals) {
    if (!FitsUnder(top, proposal.decision())) continue;
    const LoadedPlugin* admitter =
        registry_->AdmitterFor(proposal.decision().destination());
    if (admitter == nullptr) continue;
    // The proposal moves into the request and back out: no deep copy.
    v1::PluginAdmitRequest admit_request;
    *admit_request.mutable_call() = call;
    *admit_request.mutable_evaluation_time() = route_request.evaluation_time();
    admit_request.mutable_proposal()->Swap(&proposal);
    absl::StatusOr<v1::PluginAdmitResponse> admitted = admitter->Admit(admit_request);
    if (!admitted.ok()) return admitted.status();
    if (!admitted->has_amended()) {
      proposal.Swap(admit_request.mutable_proposal());
      continue;
    }
    proposal.Swap(admitted->mutable_amended());
    Stamp(*admitter, proposal.mutable_decision()->mutable_matched_rules());
  }

  v1::RouteResponse response;
  *response.mutable_decision() = MergeProposals(std::move(proposals));
  *response.mutable_evaluation_time() = route_request.evaluation_time();
  return response;
}

absl::StatusOr<v1::ValidateTaskResponse> PolicyEngine::ValidateTask(
    const v1::ValidateTaskRequest& request, absl::Time now) const {
  if (absl::Status s = CheckWellFormed(request); !s.ok()) return s;
  const v1::Task& task = request.task();
  if (task.kind() == v1::TASK_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError("task.kind: required");
  }
  if (absl::Status s = registry_->CheckRecordTypeOf(task); !s.ok()) return s;
  const std::vector<const LoadedPlugin*>& validators =
      registry_->ValidatorsFor(task.kind());
  if (validators.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no plugin validates task kind ", v1::TaskKind_Name(task.kind())));
  }

  v1::PluginValidateRequest validate_request;
  *validate_request.mutable_task() = task;
  *validate_request.mutable_evaluation_time() = EvaluationTime(
      request.has_evaluation_time(), request.evaluation_time(), now);

  v1::ValidateTaskResponse response;
  for (const LoadedPlugin* validator : validators) {
    absl::StatusOr<v1::PluginValidateResponse> result =
        validator->Validate(validate_request);
    if (!result.ok()) return result.status();
    Stamp(*validator, result->mutable_checked_rules());
    for (v1::Violation& v : *result->mutable_violations()) v.set_plugin(validator->name());
    for (v1::Finding& f : *result->mutable_findings()) f.set_plugin(validator->name());
    response.mutable_violations()->MergeFrom(result->violations());
    response.mutable_findings()->MergeFrom(result->findings());
    response.mutable_checked_rules()->MergeFrom(result->checked_rules());
  }
  bool valid = true;
  for (const v1::Violation& v : response.violations()) {
    if (v.severity() != v1::WARNING) valid = false;
  }
  response.set_valid(valid);
  *response.mutable_evaluation_time() = validate_request.evaluation_time();
  return response;
}

v1::ListPluginsResponse PolicyEngine::ListPlugins() const {
  v1::ListPluginsResponse response;
  for (const auto& plugin : registry_->plugins()) {
    *response.add_plugins() = plugin->info();
  }
  return response;
}

}  // namespace escalation::host
