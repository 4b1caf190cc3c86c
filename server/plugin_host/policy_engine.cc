#include "server/plugin_host/policy_engine.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "google/protobuf/util/time_util.h"
#include "server/plugin_host/merge.h"
#include "server/plugin_host/proposal_wire.h"
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
void Stamp(const Plugin& plugin,
           google::protobuf::RepeatedPtrField<v1::MatchedRule>* rules) {
  for (v1::MatchedRule& rule : *rules) {
    if (!rule.plugin().empty()) continue;
    rule.set_plugin(plugin.name());
    rule.set_plugin_version(plugin.version());
  }
}

// Parses a plugin's answer as `Response`, naming the plugin if it does not.
template <typename Response>
absl::Status ParseAnswer(const Plugin& plugin, PluginMethod method,
                         const absl::StatusOr<std::string>& answer,
                         Response* response) {
  if (!answer.ok()) return answer.status();
  if (!response->ParseFromString(*answer)) {
    return absl::InternalError(absl::StrCat(
        "plugin ", plugin.name(), " returned bytes from ", MethodName(method),
        " that do not parse as ", response->GetDescriptor()->full_name()));
  }
  return absl::OkStatus();
}

// A proposal on its way to the merge. Until it must be read whole it is a
// shell: priority, action and destination, read from its bytes in the
// router's answer, which are what an Admit is sent.
struct Routed {
  v1::Proposal* proposal = nullptr;  // On the decision's arena.
  const Plugin* router = nullptr;
  ProposalWire wire;  // Empty bytes once `proposal` is whole.
  bool whole() const { return wire.bytes.empty(); }
};

// One Route decision in progress: route with each plugin in turn, then let
// each destination's plugin admit, then merge. Every message of it lives on
// its arena: a decision is hundreds of small strings and messages.
struct RouteCall : std::enable_shared_from_this<RouteCall> {
  // User-provided, so make_shared does not zero the first block (16 KiB) first.
  RouteCall() {}

  static google::protobuf::ArenaOptions FirstBlock(char* block, size_t size) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = size;
    return options;
  }
  alignas(8) char first_block[16 * 1024];
  google::protobuf::Arena arena{FirstBlock(first_block, sizeof first_block)};
  std::shared_ptr<const PluginRegistry> registry;
  absl::Time deadline;
  RouteDone done;
  google::protobuf::Timestamp evaluation_time;
  // The PluginRouteRequest's bytes. A PluginAdmitRequest is the same two
  // fields (call = 1, evaluation_time = 2) and then the proposal (3), so its
  // bytes are these followed by the proposal's: the facts are written once.
  std::string request_bytes;
  const std::vector<const Plugin*>* routers = nullptr;
  size_t next_router = 0;
  absl::InlinedVector<Routed, 4> routed;
  v1::Decision top;
  size_t next_admit = 0;
  const Plugin* admitter = nullptr;  // Of the admit in progress.

  template <typename Message>
  Message* Create() {
    return google::protobuf::Arena::CreateMessage<Message>(&arena);
  }

  void Fail(absl::Status status) { std::move(done)(std::move(status)); }

  void NextRoute() {
    if (next_router == routers->size()) return BeginAdmit();
    const Plugin* router = (*routers)[next_router++];
    std::string bytes = request_bytes;  // Kept for the admits.
    // The reply captures only `self`, so it fits in the callback's own storage.
    router->Call(PluginMethod::kRoute, std::move(bytes), deadline,
                 [self = shared_from_this()](absl::StatusOr<std::string> answer) {
                   self->OnRouted(*(*self->routers)[self->next_router - 1], std::move(answer));
                 });
  }

  void OnRouted(const Plugin& router, absl::StatusOr<std::string> answer) {
    if (!answer.ok()) return Fail(answer.status());
    // The proposals borrow the answer's bytes, kept on the arena.
    const std::string* bytes =
        google::protobuf::Arena::Create<std::string>(&arena, *std::move(answer));
    ProposalWires wires;
    if (!ReadProposals(*bytes, &wires)) return RouteWhole(router, *bytes);
    for (ProposalWire& wire : wires) {
      Routed& r = routed.emplace_back();
      r.router = &router;
      r.proposal = Create<v1::Proposal>();
      r.proposal->set_priority(wire.priority);
      r.proposal->mutable_decision()->set_action(wire.action);
      r.proposal->mutable_decision()->set_destination(wire.destination);
      r.wire = wire;
    }
    NextRoute();
  }

  // Bytes the wire reader does not follow are parsed whole, as they always
  // were: protobuf accepts them, or the error names the plugin.
  void RouteWhole(const Plugin& router, const std::string& bytes) {
    auto* answer = Create<v1::PluginRouteResponse>();
    if (absl::Status s = ParseAnswer(router, PluginMethod::kRoute, bytes, answer); !s.ok()) {
      return Fail(std::move(s));
    }
    for (v1::Proposal& proposal : *answer->mutable_proposals()) {
      Stamp(router, proposal.mutable_decision()->mutable_matched_rules());
      routed.push_back({&proposal, &router, {}});
    }
    NextRoute();
  }

  // Parses a shell's bytes into it (its router's error if they do not parse).
  absl::Status MakeWhole(Routed& r) {
    if (r.whole()) return absl::OkStatus();
    if (!r.proposal->ParseFromArray(r.wire.bytes.data(), static_cast<int>(r.wire.bytes.size()))) {
      return absl::InternalError(absl::StrCat(
          "plugin ", r.router->name(), " returned bytes from route that do not parse as ",
          v1::PluginRouteResponse::descriptor()->full_name()));
    }
    Stamp(*r.router, r.proposal->mutable_decision()->mutable_matched_rules());
    r.wire = ProposalWire();
    return absl::OkStatus();
  }

  // Only proposals that can be part of the decision are admitted: an
  // outranked one is dropped by the merge, and its destination's refusal
  // (say, no site for a Leadership Desk transfer) must not fail the call.
  // Which ones is decided before any is amended.
  void BeginAdmit() {
    std::stable_sort(routed.begin(), routed.end(), [](const Routed& a, const Routed& b) {
      return a.proposal->priority() > b.proposal->priority();
    });
    if (!routed.empty()) {
      top.set_action(routed.front().proposal->decision().action());
      top.set_destination(routed.front().proposal->decision().destination());
    }
    NextAdmit();
  }

  void NextAdmit() {
    for (; next_admit < routed.size(); ++next_admit) {
      Routed& r = routed[next_admit];
      if (!FitsUnder(top, r.proposal->decision())) continue;
      admitter = registry->AdmitterFor(r.proposal->decision().destination());
      if (admitter == nullptr) continue;
      std::string bytes = request_bytes;
      if (r.whole()) {
        // The proposal field borrows the proposal (on the arena) for as
        // long as it takes to write its bytes after the route request's.
        auto* admit = Create<v1::PluginAdmitRequest>();
        admit->unsafe_arena_set_allocated_proposal(r.proposal);
        admit->AppendToString(&bytes);
        admit->unsafe_arena_release_proposal();
      } else {
        AppendAdmitProposal(r.wire.bytes, &bytes);
      }
      ++next_admit;
      admitter->Call(PluginMethod::kAdmit, std::move(bytes), deadline,
                     [self = shared_from_this()](absl::StatusOr<std::string> answer) {
                       self->OnAdmitted(*self->admitter, self->next_admit - 1, answer);
                     });
      return;
    }
    Merge();
  }

  void OnAdmitted(const Plugin& admitter, size_t index,
                  const absl::StatusOr<std::string>& answer) {
    Routed& r = routed[index];
    auto* admitted = Create<v1::PluginAdmitResponse>();
    if (absl::Status s = ParseAnswer(admitter, PluginMethod::kAdmit, answer, admitted);
        !s.ok()) {
      // A proposal its router broke is the router's fault, not the admitter's.
      if (absl::Status whole = MakeWhole(r); !whole.ok()) return Fail(std::move(whole));
      return Fail(std::move(s));
    }
    if (!admitted->has_amended()) {
      if (absl::Status s = MakeWhole(r); !s.ok()) return Fail(std::move(s));
      return NextAdmit();
    }
    v1::Proposal* amended = admitted->mutable_amended();
    // The rules the router's proposal cited are the router's; the others
    // the admitter's (a whole proposal was sent with its rules stamped).
    const RuleIds routers_rules = r.whole() ? RuleIds() : CitedRules(r.wire.bytes);
    for (v1::MatchedRule& rule : *amended->mutable_decision()->mutable_matched_rules()) {
      if (!rule.plugin().empty()) continue;
      const bool routers = std::find(routers_rules.begin(), routers_rules.end(),
                                     rule.rule_id()) != routers_rules.end();
      const Plugin& by = routers ? *r.router : admitter;
      rule.set_plugin(by.name());
      rule.set_plugin_version(by.version());
    }
    r.proposal = amended;
    r.wire = ProposalWire();
    NextAdmit();
  }

  void Merge() {
    std::vector<v1::Proposal*> proposals;
    proposals.reserve(routed.size());
    for (Routed& r : routed) {
      if (absl::Status s = MakeWhole(r); !s.ok()) return Fail(std::move(s));
      proposals.push_back(r.proposal);
    }
    auto* response = Create<v1::RouteResponse>();
    MergeProposals(proposals, response->mutable_decision());
    *response->mutable_evaluation_time() = evaluation_time;
    std::move(done)(response);
  }
};

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
    std::string bytes = next == validators->size() ? std::move(request_bytes)
                                                   : request_bytes;
    validator->Call(PluginMethod::kValidate, std::move(bytes), deadline,
                    [self = shared_from_this(), validator](absl::StatusOr<std::string> answer) {
                      self->OnValidated(*validator, answer);
                    });
  }

  void OnValidated(const Plugin& validator, const absl::StatusOr<std::string>& answer) {
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
  const std::vector<const Plugin*>& routers = registry_->RoutersFor(facts.department());
  if (routers.empty()) {
    return std::move(done)(absl::FailedPreconditionError(
        absl::StrCat("no plugin routes calls for department ",
                     v1::Department_Name(facts.department()))));
  }
  auto call = std::make_shared<RouteCall>();
  call->registry = registry_;
  call->deadline = deadline;
  call->done = std::move(done);
  call->evaluation_time =
      EvaluationTime(request.has_evaluation_time(), request.evaluation_time(), now);
  // The plugin request borrows the client's facts and the instant to write its bytes.
  v1::PluginRouteRequest routed;
  routed.unsafe_arena_set_allocated_call(const_cast<v1::CallFacts*>(&facts));
  routed.unsafe_arena_set_allocated_evaluation_time(&call->evaluation_time);
  call->request_bytes = routed.SerializeAsString();
  routed.unsafe_arena_release_call();
  routed.unsafe_arena_release_evaluation_time();
  call->routers = &routers;
  call->NextRoute();
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
  const std::vector<const Plugin*>& validators = registry_->ValidatorsFor(task.kind());
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
               [done = std::move(done)](
                   absl::StatusOr<const v1::RouteResponse*> answer) mutable {
                 if (!answer.ok()) return std::move(done)(answer.status());
                 std::move(done)(**answer);  // A copy off the arena.
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
  for (const auto& plugin : registry_->plugins()) {
    *response.add_plugins() = plugin->info();
  }
  return response;
}

}  // namespace escalation::host
