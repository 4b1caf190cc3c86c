#include "plugin.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escalation/sdk/coverage.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/rule_table.h"
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

// The T2 task the receiving T2 agent creates (MS-2, MS-3, MS-5).
void AddT2TaskRecord(v1::Decision* d) {
  sdk::AddRecord(kCategory, T2TaskType(), "by the T2 agent, AFTER the call", d);
  for (const sdk::Rule* rule : {&kOneReason, &kNoneRemoved, &kCreatedAfterCall}) {
    sdk::Cite(*rule, d);
  }
}

// Sets the Tier 2 hours, with the next opening when Tier 2 is closed.
void AddTier2Hours(const sdk::WeeklyHours& hours, absl::Time now,
                   v1::Decision* d) {
  v1::DestinationHours* out = d->mutable_destination_hours();
  out->set_destination(v1::Decision::TIER2);
  out->set_open_now(hours.IsOpen(now));
  out->set_time_zone(hours.zone_name());
  out->set_schedule(std::string(words::kTier2Schedule));
  out->set_rule_id(kTier2Hours.id);
  sdk::Cite(kTier2Hours, d);
  if (out->open_now()) return;
  *out->mutable_next_opening() = sdk::ToProto(hours.NextOpening(now));
}

// "Tier 2 is closed until <next opening> (<zone>)." in Eastern time.
std::string ClosedUntil(const sdk::WeeklyHours& hours, absl::Time now) {
  return absl::StrCat(
      "Tier 2 is closed until ",
      absl::FormatTime("%A %Y-%m-%d %H:%M %Z", hours.NextOpening(now),
                       hours.zone()),
      " (", hours.zone_name(), ").");
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

// What the routing rules read and add to. `hours` null: no hours (the
// coverage probe).
struct Call {
  const v1::CallFacts& call;
  const sdk::WeeklyHours* hours;
  absl::Time now;
  v1::PluginRouteResponse* response;
};

bool CancelThreat(const Call& c) { return sdk::HasThreat(c.call, v1::CANCEL_WARRANTY); }
bool MayWarmTransfer(const Call& c) {
  return CancelThreat(c) && c.call.has_concerns_service_job() &&
         c.call.concerns_service_job();
}
// The coverage probe gives no hours: Tier 2 counts as open there.
bool Tier2Open(const Call& c) {
  return c.hours == nullptr || c.hours->IsOpen(c.now);
}

// MS-1 and the Tier 2 hours, as a rule table (escalation/sdk/rule_table.h).
const std::vector<sdk::RouteRule<Call>>& RouteRules() {
  static const auto* rules = new std::vector<sdk::RouteRule<Call>>{
      // Unknown is not "regarding a service job", nor "not regarding" one: the
      // agent keeps the call and is told what would change it.
      {kServiceJobNotKnown,
       [](const Call& c) { return CancelThreat(c) && !c.call.has_concerns_service_job(); },
       [](const sdk::Rule& rule, Call& c) {
         v1::Decision* d = sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, c.response);
         d->set_action(v1::RESOLVE_HERE);
         d->set_destination(v1::Decision::MEMBERSHIP_SERVICES);
         d->set_summary(std::string(words::kServiceJobNotKnown));
         sdk::NoteNotKnown(rule, "call.concerns_service_job",
                           "the threat to cancel is regarding a service job",
                           "you may warm-transfer the customer to T2 "
                           "(ms.t2.warm_transfer)",
                           d);
       }},
      {kWarmTransferToT2,
       [](const Call& c) { return MayWarmTransfer(c) && Tier2Open(c); },
       [](const sdk::Rule& rule, Call& c) {
         v1::Decision* d = sdk::Propose(v1::TIER2_SITUATION, c.response);
         d->set_action(v1::TRANSFER);
         d->set_destination(v1::Decision::TIER2);
         d->set_transfer_mode(v1::WARM);
         d->set_summary(std::string(words::kMayWarmTransfer));
         sdk::AddStep(rule, words::kStateOrigin, d);
         AddT2TaskRecord(d);
         if (c.hours != nullptr) AddTier2Hours(*c.hours, c.now, d);
       }},
      // A handoff that cannot happen now is not instructed: the agent keeps
      // the call, told when Tier 2 opens. No fallback is invented.
      {kTier2Closed,
       [](const Call& c) { return MayWarmTransfer(c) && !Tier2Open(c); },
       [](const sdk::Rule& rule, Call& c) {
         v1::Decision* d = sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, c.response);
         d->set_action(v1::RESOLVE_HERE);
         d->set_destination(v1::Decision::MEMBERSHIP_SERVICES);
         d->set_summary(absl::StrCat(ClosedUntil(*c.hours, c.now),
                                     " Do not transfer the call to T2 now. ",
                                     words::kNoAlternative));
         sdk::Cite(rule, d);
         sdk::AddNote(rule, words::kMayWarmTransfer, d);
         AddTier2Hours(*c.hours, c.now, d);
       }}};
  return *rules;
}

// What the validation rules read and add to.
struct Check {
  const v1::Task& task;
  v1::PluginValidateResponse* response;
};
// The record type or the origin identifies a Membership transfer (MS-2); so
// does the Category for MS-3 and MS-4.
bool Typed(const Check& c) { return c.task.record_type() == kT2TaskType; }
bool FromMembership(const Check& c) { return Typed(c) || FromMembershipOrRetention(c.task); }
bool Placed(const Check& c) {
  return FromMembership(c) || Same(c.task.category(), words::kCategoryValue);
}

// MS-2 … MS-5 on a T2 task, as a rule table.
const std::vector<sdk::ValidateRule<Check>>& ValidateRules() {
  static const auto* rules = new std::vector<sdk::ValidateRule<Check>>{
      {kCategory, FromMembership,
       [](const sdk::Rule&, Check& c) { CheckCategory(c.task, c.response); }},
      {kOneReason, Placed,
       [](const sdk::Rule&, Check& c) { CheckResolutionReasons(c.task, c.response); }},
      // Not placed, and the origin not given: say what would be checked.
      {kCategory,
       [](const Check& c) {
         return !Placed(c) && c.task.origin_department() == v1::DEPARTMENT_UNSPECIFIED;
       },
       [](const sdk::Rule& rule, Check& c) {
         sdk::FindingNotKnown(
             rule, "origin_department",
             "the call was a live transfer from Membership Services or Retention",
             "Category must be \"Membership Services\" with one resolution reason "
             "(ms.t2_task.category); set origin_department, or record_type "
             "membership_services.t2_task, to have it checked",
             c.response);
       }},
      {kCreatedAfterCall, [](const Check&) { return true; },
       [](const sdk::Rule&, Check& c) { CheckCreatedAfterCall(c.task, c.response); }},
      {kCategory, Typed,
       [](const sdk::Rule& rule, Check& c) {
         sdk::CheckRecordFields(rule, T2TaskType(), c.task, c.response);
       }}};
  return *rules;
}

void RouteByArticle(const v1::CallFacts& call, const sdk::WeeklyHours* hours,
                    absl::Time now, v1::PluginRouteResponse* response) {
  Call c{call, hours, now, response};
  sdk::Apply(RouteRules(), c);
}

// The ids of the rules RouteByArticle cites for `call`.
std::set<std::string> Fired(const v1::CallFacts& call) {
  v1::PluginRouteResponse scratch;
  RouteByArticle(call, nullptr, absl::UnixEpoch(), &scratch);
  std::set<std::string> ids;
  for (const v1::Proposal& p : scratch.proposals()) {
    for (const v1::MatchedRule& m : p.decision().matched_rules()) {
      ids.insert(m.rule_id());
    }
  }
  return ids;
}

// The reasons and threats some routing rule handles, derived from the
// routing code rather than kept as a second list, and the note naming each
// one none handles.
const sdk::UncoveredNoteTable& Uncovered() {
  static const auto* table = new sdk::UncoveredNoteTable(
      sdk::ReasonCoverage::Probe(v1::MEMBERSHIP_SERVICES, Fired),
      std::string(words::kNoRuleCovers), std::string(words::kFollowSiteProcedure));
  return *table;
}

// Names, once each and in the call's order, the call's reasons and threats
// no routing rule handles: a note on every proposal, or, with none, on a
// proposal to keep the call in Membership Services. No route is invented.
void NameUncovered(const v1::CallFacts& call,
                   v1::PluginRouteResponse* response) {
  const auto notes = Uncovered().NotesFor(call);
  if (notes.empty()) return;
  if (response->proposals_size() == 0) {
    v1::Decision* d = sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, response);
    d->set_action(v1::RESOLVE_HERE);
    d->set_destination(v1::Decision::MEMBERSHIP_SERVICES);
    d->set_summary(std::string(words::kNothingCovered));
  }
  for (v1::Proposal& p : *response->mutable_proposals()) {
    for (absl::string_view n : notes) {
      sdk::AddNote(kUncovered, n, p.mutable_decision());
    }
  }
}

}  // namespace

bool IsHandled(v1::Reason reason) { return Uncovered().coverage().Handles(reason); }
bool IsHandled(v1::Threat threat) { return Uncovered().coverage().Handles(threat); }

MembershipServicesPlugin::MembershipServicesPlugin()
    : tier2_hours_(Tier2Hours()) {
  SetDescription(
      "Membership Services: the warm transfer to T2 and the T2 task fields "
      "(\"T2 Live Transfer from Membership Services\").");
  RoutesFor(v1::MEMBERSHIP_SERVICES);
  Validates(v1::T2_TASK);
  for (const sdk::Rule* rule : AllRules()) DeclareRule(*rule);
  DeclareRecordType(T2TaskType());
}

absl::Status MembershipServicesPlugin::Configure(
    const google::protobuf::Struct& config) {
  if (!tier2_hours_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Tier 2 hours: ", tier2_hours_.status().message()));
  }
  return sdk::Plugin::Configure(config);
}

absl::Status MembershipServicesPlugin::Route(
    const v1::PluginRouteRequest& request,
    v1::PluginRouteResponse* response) const {
  if (!request.has_evaluation_time()) {
    return absl::InvalidArgumentError("evaluation_time is required");
  }
  const v1::CallFacts& call = request.call();
  RouteByArticle(call, tier2_hours_.ok() ? &*tier2_hours_ : nullptr,
                 sdk::FromProto(request.evaluation_time()), response);
  NameUncovered(call, response);
  return absl::OkStatus();
}

absl::Status MembershipServicesPlugin::Validate(
    const v1::PluginValidateRequest& request,
    v1::PluginValidateResponse* response) const {
  const v1::Task& task = request.task();
  if (task.kind() != v1::T2_TASK) {
    return absl::InvalidArgumentError(
        absl::StrCat("membership_services does not validate task kind ",
                     v1::TaskKind_Name(task.kind())));
  }
  Check check{task, response};
  sdk::Apply(ValidateRules(), check);
  return absl::OkStatus();
}

}  // namespace escalation::membership_services
