// The routing rules of "Telesales and Retention Call Escalations" as a rule
// table (escalation/sdk/rule_table.h): each line a declared rule of rules.h,
// the article's condition on the call, and the proposal it makes.
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::telesales_retention {
namespace {

bool KnownFalse(bool has, bool value) { return has && !value; }

v1::Decision* Start(v1::Priority priority, v1::Action action,
                    absl::string_view summary,
                    v1::PluginRouteResponse* response) {
  v1::Decision* decision = sdk::Propose(priority, response);
  decision->set_action(action);
  decision->set_summary(std::string(summary));
  return decision;
}

// TSR-7: the dedicated process of an excluded escalation type.
// Named as titled, with its link when one is configured.
void Protocol(const ExcludedType& type, const ProcessLinks& links,
              v1::PluginRouteResponse* response) {
  v1::Decision* d =
      Start(type.priority, v1::FOLLOW_PROTOCOL,
            absl::StrCat(words::kNotApplicable, type.article_name, "."), response);
  d->set_destination(type.destination);
  auto link = links.find(type.reason);
  sdk::AddStep(*type.rule,
               absl::StrCat("Follow the dedicated process: ", type.process,
                            link == links.end() ? "" : absl::StrCat(" (", link->second, ")"),
                            "."),
               d);
}

// TSR-2.
void ClaimRelated(v1::PluginRouteResponse* response) {
  // A transfer between Retention and CS (the merge's order of priorities,
  // docs/architecture.md, The merge, names no other rank).
  v1::Decision* d = Start(v1::RETENTION_TRANSFER, v1::TRANSFER,
                          "Claim related issue: warm transfer the caller to a "
                          "Customer Service Agent.",
                          response);
  d->set_destination(v1::Decision::CUSTOMER_SERVICE);
  d->set_transfer_mode(v1::WARM);
  sdk::AddSteps(kClaimWarmTransfer,
                {words::kWarmTransferCs, words::kInformCs, words::kDocumentRequest},
                d);
  sdk::AddRecord(kClaimWarmTransfer, HistoryEntryType(), "with the transfer", d);
}

// TSR-1.
void DeEscalate(const v1::CallFacts& call, v1::PluginRouteResponse* response) {
  v1::Decision* d = Start(v1::RESOLVE_IN_DEPARTMENT, v1::RESOLVE_HERE,
                          "Attempt to de-escalate.", response);
  sdk::AddSteps(kDeEscalate, {words::kTryToResolve, words::kGuidance}, d);
  if (!call.has_de_escalation_failed()) {
    sdk::NoteNotKnown(kDeEscalate, "call.de_escalation_failed",
                      "the issue cannot be de-escalated",
                      "a supervisor must take over the call when available "
                      "(tsr.not_de_escalated.supervisor_takeover)",
                      d);
  }
}

// TSR-3.
void Takeover(const v1::CallFacts& call, v1::PluginRouteResponse* response) {
  v1::Decision* d = Start(v1::LEADERSHIP_DESK_TIER1, v1::SUPERVISOR_TAKEOVER,
                          words::kTakeOver, response);
  d->set_destination(v1::Decision::DIRECT_SUPERVISOR);
  sdk::AddStep(kSupervisorTakeover, words::kTakeOver, d);
  if (!call.has_supervisor_could_not_resolve()) {
    sdk::NoteNotKnown(kSupervisorTakeover, "call.supervisor_could_not_resolve",
                      "the supervisor cannot resolve the issue",
                      "they must contact the TS&R Management Team for "
                      "assistance through phone, chat, or email "
                      "(tsr.supervisor_cannot_resolve.management)",
                      d);
  }
  if (!call.has_supervisor_available()) {
    sdk::AddNote(kSupervisorTakeover,
                 absl::StrCat(words::kIfNoSupervisor, " ",
                              words::kTellTurnaround),
                 d);
  }
}

// TSR-4.
void NoSupervisor(const v1::CallFacts& call, absl::Time now,
                  v1::PluginRouteResponse* response) {
  v1::Decision* d = Start(v1::LEADERSHIP_DESK_TIER1, v1::SCHEDULE_CALLBACK,
                          "No supervisor is available: request a supervisor "
                          "callback.",
                          response);
  // The supervisor calls back (QuickBase request or, for BPO agents, email).
  d->set_destination(v1::Decision::DIRECT_SUPERVISOR);
  if (call.bpo_agent()) {
    sdk::AddStep(kBpoEmail, words::kBpoEmail, d);
  } else {
    sdk::AddStep(kQuickBaseRequest, words::kSubmitQuickBase, d);
    sdk::AddRecord(kQuickBaseRequest, CallbackRequestType(),
                   "while no supervisor is available", d);
    if (!call.has_bpo_agent()) sdk::AddNote(kQuickBaseRequest, words::kBpoNote, d);
  }
  // The article gives the step, not a script: no script is returned.
  sdk::AddStep(kTurnaround48h, words::kTellTurnaround, d);
  v1::CallbackPromise* promise = d->mutable_callback();
  promise->set_summary(std::string(words::kTurnaroundPromise));
  *promise->mutable_anchor() = sdk::ToProto(now);
  *promise->mutable_first_contact_within() = sdk::ToProto(kCallbackTurnaround);
  *promise->mutable_first_contact_due() =
      sdk::ToProto(now + kCallbackTurnaround);
  promise->set_rule_id(kTurnaround48h.id);
}

// TSR-5.
void Management(v1::PluginRouteResponse* response) {
  // The supervisor keeps the call and asks the management team for help.
  v1::Decision* d = Start(v1::LEADERSHIP_DESK_TIER1, v1::SUPERVISOR_TAKEOVER,
                          "The supervisor cannot resolve the issue: contact "
                          "the TS&R Management Team.",
                          response);
  d->set_destination(v1::Decision::TSR_MANAGEMENT);
  sdk::AddStep(kManagementTeam, words::kContactManagement, d);
}

// TSR-6: the threats the article names that the call carries.
std::vector<absl::string_view> NamedThreats(const v1::CallFacts& call) {
  std::vector<absl::string_view> named;
  for (const NamedThreat& t : NotifyThreats()) {
    if (sdk::HasThreat(call, t.threat)) named.push_back(t.words);
  }
  return named;
}

void ThreatHandling(const v1::CallFacts& call, v1::PluginRouteResponse* response) {
  const std::vector<absl::string_view> named = NamedThreats(call);
  v1::Decision* d = Start(
      v1::RESOLVE_IN_DEPARTMENT, v1::RESOLVE_HERE,
      "If a customer threatens BBB, to contact a lawyer, and/or social media "
      "platforms, the agent should notify a supervisor and document the "
      "account accordingly.",
      response);
  sdk::AddSteps(kThreatNotifySupervisor,
                {words::kNotifySupervisor, words::kDocumentAccount}, d);
  sdk::AddNote(kThreatNotifySupervisor,
               absl::StrCat("The customer threatens ",
                            absl::StrJoin(named, ", "), "."),
               d);
}

// "This process does not apply" to an excluded type: nothing else is proposed.
bool Excluded(const Call& c) {
  for (const ExcludedType& type : ExcludedTypes()) {
    if (sdk::HasReason(c.call, type.reason)) return true;
  }
  return false;
}
// A supervisor request in this process, and where it stands (TSR-1 … TSR-5:
// each condition is the article's "if" after the ones before it).
bool SupervisorRequest(const Call& c) {
  return !Excluded(c) && sdk::HasReason(c.call, v1::SUPERVISOR_REQUEST);
}
bool NotClaimRelated(const Call& c) {
  return SupervisorRequest(c) && !sdk::HasReason(c.call, v1::CLAIM_RELATED_ISSUE);
}
bool SupervisorMayStillResolve(const Call& c) {
  return NotClaimRelated(c) && !c.call.supervisor_could_not_resolve();
}
bool NotDeEscalated(const Call& c) {
  return SupervisorMayStillResolve(c) && c.call.de_escalation_failed();
}
bool NoSupervisorAvailable(const Call& c) {
  return KnownFalse(c.call.has_supervisor_available(), c.call.supervisor_available());
}

std::vector<sdk::RouteRule<Call>> BuildRouteRules() {
  std::vector<sdk::RouteRule<Call>> t;
  // ---- TSR-7 "This process does not apply to the following escalation types" ----
  for (const ExcludedType& type : ExcludedTypes()) {
    t.push_back({*type.rule,
                 [reason = type.reason](const Call& c) { return sdk::HasReason(c.call, reason); },
                 [&type](const sdk::Rule&, Call& c) { Protocol(type, c.links, c.response); }});
  }
  // ---- TSR-1 … TSR-5 Requests to speak with a Supervisor ----
  t.push_back({kClaimWarmTransfer,
               [](const Call& c) {
                 return SupervisorRequest(c) && !NotClaimRelated(c);
               },
               [](const sdk::Rule&, Call& c) { ClaimRelated(c.response); }});
  t.push_back({kManagementTeam,
               [](const Call& c) {
                 return NotClaimRelated(c) && !SupervisorMayStillResolve(c);
               },
               [](const sdk::Rule&, Call& c) { Management(c.response); }});
  t.push_back({kDeEscalate,
               [](const Call& c) {
                 return SupervisorMayStillResolve(c) && !NotDeEscalated(c);
               },
               [](const sdk::Rule&, Call& c) { DeEscalate(c.call, c.response); }});
  t.push_back({kQuickBaseRequest,
               [](const Call& c) { return NotDeEscalated(c) && NoSupervisorAvailable(c); },
               [](const sdk::Rule&, Call& c) { NoSupervisor(c.call, c.now, c.response); }});
  t.push_back({kSupervisorTakeover,
               [](const Call& c) { return NotDeEscalated(c) && !NoSupervisorAvailable(c); },
               [](const sdk::Rule&, Call& c) { Takeover(c.call, c.response); }});
  // ---- TSR-6 Threats ----
  t.push_back({kThreatNotifySupervisor,
               [](const Call& c) { return !Excluded(c) && !NamedThreats(c.call).empty(); },
               [](const sdk::Rule&, Call& c) { ThreatHandling(c.call, c.response); }});
  return t;
}

}  // namespace

const std::vector<sdk::RouteRule<Call>>& RouteRules() {
  static const auto* rules = new std::vector<sdk::RouteRule<Call>>(BuildRouteRules());
  return *rules;
}

}  // namespace escalation::telesales_retention
