#include "server/engine/policy_engine.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "google/protobuf/util/time_util.h"
#include "server/engine/plugin_answer.h"
#include "server/engine/request_checks.h"
#include "server/engine/route_call.h"

namespace escalation::host {
namespace {

google::protobuf::Timestamp EvaluationTime(
    bool has_time, const google::protobuf::Timestamp& requested, absl::Time now) {
  return has_time ? requested
                  : google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
                        absl::ToUnixNanos(now));
}

// One ValidateTask decision in progress: each validating plugin in turn.
struct ValidateCall : std::enable_shared_from_this<ValidateCall> {
  absl::Time deadline;
  Done<v1::ValidateTaskResponse> done;
  std::string request_bytes;
  google::protobuf::Timestamp evaluation_time;
  const std::vector<const Plugin*>* validators = nullptr;
  size_t next = 0;
  v1::ValidateTaskResponse response;

  void Next() {
    if (next == validators->size()) return Finish();
    const Plugin* validator = (*validators)[next++];
    validator->Call(PluginMethod::kValidate, request_bytes, deadline,
                    [self = shared_from_this(), validator](absl::StatusOr<absl::string_view> answer) {
                      self->OnValidated(*validator, answer);
                    });
  }

  void OnValidated(const Plugin& validator, const absl::StatusOr<absl::string_view>& answer) {
    v1::PluginValidateResponse result;
    if (absl::Status s = ParseAnswer(validator, PluginMethod::kValidate, answer, &result);
        !s.ok()) {
      return std::move(done)(std::move(s));
    }
    Stamp(validator, result.mutable_checked_rules());
    for (v1::Violation& v : *result.mutable_violations()) v.set_plugin(validator.name());
    for (v1::Finding& f : *result.mutable_findings()) f.set_plugin(validator.name());
    response.mutable_violations()->MergeFrom(result.violations());
    response.mutable_findings()->MergeFrom(result.findings());
    response.mutable_checked_rules()->MergeFrom(result.checked_rules());
    Next();
  }

  void Finish() {
    bool valid = true;
    for (const v1::Violation& v : response.violations()) {
      if (v.severity() != v1::WARNING) valid = false;
    }
    response.set_valid(valid);
    *response.mutable_evaluation_time() = evaluation_time;
    std::move(done)(std::move(response));
  }
};

// Runs an asynchronous decision and waits for its answer.
// The answer is shared, not on this stack: the replying thread may still be
// inside Notify() when the waiter returns.
template <typename Response, typename Start>
absl::StatusOr<Response> Await(Start start) {
  struct Answer {
    absl::Notification answered;
    absl::StatusOr<Response> value;
  };
  auto answer = std::make_shared<Answer>();
  start([answer](absl::StatusOr<Response> value) {
    answer->value = std::move(value);
    answer->answered.Notify();
  });
  answer->answered.WaitForNotification();
  return std::move(answer->value);
}

}  // namespace

PolicyEngine::PolicyEngine(std::shared_ptr<const PluginRegistry> registry)
    : registry_(std::move(registry)) {}

void PolicyEngine::RouteAsync(const v1::RouteRequest& request, absl::Time now,
                              absl::Time deadline, RouteDone done) const {
  if (absl::Status s = CheckWellFormed(request); !s.ok()) return std::move(done)(s);
  const v1::CallFacts& facts = request.call();
  if (facts.department() == v1::DEPARTMENT_UNSPECIFIED) {
    return std::move(done)(absl::InvalidArgumentError("call.department: required"));
  }
  if (absl::Status s = CheckExtensionFacts(facts, registry_->extension_facts()); !s.ok()) {
    return std::move(done)(s);
  }
  const std::vector<const Plugin*>& routers = registry_->RoutersFor(facts.department());
  if (routers.empty()) {
    return std::move(done)(absl::FailedPreconditionError(
        absl::StrCat("no plugin routes calls for department ",
                     v1::Department_Name(facts.department()))));
  }
  StartRoute(registry_, facts, routers,
             EvaluationTime(request.has_evaluation_time(), request.evaluation_time(), now),
             deadline, std::move(done));
}

void PolicyEngine::ValidateTaskAsync(const v1::ValidateTaskRequest& request,
                                     absl::Time now, absl::Time deadline,
                                     Done<v1::ValidateTaskResponse> done) const {
  if (absl::Status s = CheckWellFormed(request); !s.ok()) return std::move(done)(s);
  const v1::Task& task = request.task();
  if (task.kind() == v1::TASK_KIND_UNSPECIFIED) {
    return std::move(done)(absl::InvalidArgumentError("task.kind: required"));
  }
  if (absl::Status s = registry_->CheckRecordTypeOf(task); !s.ok()) return std::move(done)(s);
  const std::vector<const Plugin*>& validators = registry_->ValidatorsFor(task);
  if (validators.empty()) {
    return std::move(done)(absl::FailedPreconditionError(absl::StrCat(
        "no plugin validates task kind ", v1::TaskKind_Name(task.kind()))));
  }
  auto call = std::make_shared<ValidateCall>();
  call->deadline = deadline;
  call->done = std::move(done);
  v1::PluginValidateRequest validate;
  *validate.mutable_task() = task;
  *validate.mutable_evaluation_time() =
      EvaluationTime(request.has_evaluation_time(), request.evaluation_time(), now);
  call->evaluation_time = validate.evaluation_time();
  call->request_bytes = validate.SerializeAsString();
  call->validators = &validators;
  call->Next();
}

absl::StatusOr<v1::RouteResponse> PolicyEngine::Route(const v1::RouteRequest& request,
                                                      absl::Time now) const {
  return Await<v1::RouteResponse>([&](Done<v1::RouteResponse> done) {
    RouteAsync(request, now, absl::InfiniteFuture(),
               [done = std::move(done)](absl::StatusOr<const RouteAnswer*> answer) mutable {
                 if (!answer.ok()) return std::move(done)(answer.status());
                 std::move(done)((*answer)->response());  // A copy off the decision.
               });
  });
}

absl::StatusOr<v1::ValidateTaskResponse> PolicyEngine::ValidateTask(
    const v1::ValidateTaskRequest& request, absl::Time now) const {
  return Await<v1::ValidateTaskResponse>([&](Done<v1::ValidateTaskResponse> done) {
    ValidateTaskAsync(request, now, absl::InfiniteFuture(), std::move(done));
  });
}

v1::ListPluginsResponse PolicyEngine::ListPlugins() const {
  v1::ListPluginsResponse response;
  // Unauthenticated callers learn which files, not where they are.
  auto file_name = [](const std::string& path) { return path.substr(path.rfind('/') + 1); };
  for (const auto& plugin : registry_->plugins()) {
    v1::PluginInfo* info = response.add_plugins();
    *info = plugin->info();
    info->set_path(file_name(info->path()));
    info->set_config_path(file_name(info->config_path()));
  }
  for (const v1::PluginOverlap& overlap : registry_->overlaps()) {
    *response.add_overlaps() = overlap;
  }
  return response;
}

}  // namespace escalation::host
