// The routing rules of "Telesales and Retention Call Escalations" as a route
// table (escalation/sdk/rule_table.h): each row a declared rule of rules.h,
// the article's condition on the call, the outcome it decides, and what
// depends on the call (its instant, its threats) or the configuration (the
// process links).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::telesales_retention {
namespace {

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
  return sdk::IsFalse(c.call.has_supervisor_available(), c.call.supervisor_available());
}

// TSR-6: the threats the article names that the call carries.
std::vector<absl::string_view> NamedThreats(const v1::CallFacts& call) {
  std::vector<absl::string_view> named;
  for (const NamedThreat& t : NotifyThreats()) {
    if (sdk::HasThreat(call, t.threat)) named.push_back(t.words);
  }
  return named;
}

// TSR-7: the dedicated process of an excluded type, named as titled, with
// its link when one is configured.
sdk::DecisionRow<Call> ExcludedRow(const ExcludedType& type) {
  return {*type.rule,
          [reason = type.reason](const Call& c) { return sdk::HasReason(c.call, reason); },
          sdk::Outcome()
              .Priority(type.priority)
              .Action(v1::FOLLOW_PROTOCOL)
              .To(type.destination)
              .Summary(absl::StrCat(words::kNotApplicable, type.article_name, ".")),
          [&type](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
            auto link = c.links.find(type.reason);
            sdk::AddStep(rule,
                         absl::StrCat("Follow the dedicated process: ", type.process,
                                      link == c.links.end()
                                          ? ""
                                          : absl::StrCat(" (", link->second, ")"),
                                      "."),
                         d);
          }};
}

// TSR-4: the callback the caller is promised, from the call's instant.
void PromiseCallback(const sdk::Rule&, const Call& c, v1::Decision* d) {
  v1::CallbackPromise* promise = d->mutable_callback();
  promise->set_summary(std::string(words::kTurnaroundPromise));
  *promise->mutable_anchor() = sdk::ToProto(c.now);
  *promise->mutable_first_contact_within() = sdk::ToProto(kCallbackTurnaround);
  *promise->mutable_first_contact_due() = sdk::ToProto(c.now + kCallbackTurnaround);
  promise->set_rule_id(kTurnaround48h.id);
}

// TSR-4: no supervisor available; the supervisor calls back (a QuickBase
// request or, for BPO agents, email). The article gives the step of telling
// the turnaround, not a script: no script is returned.
sdk::Outcome NoSupervisor() {
  return sdk::Outcome()
      .Priority(v1::LEADERSHIP_DESK_TIER1)
      .Action(v1::SCHEDULE_CALLBACK)
      .To(v1::Decision::DIRECT_SUPERVISOR)
      .Summary("No supervisor is available: request a supervisor callback.");
}

}  // namespace

sdk::RouteTable<Call> RouteRules() {
  std::vector<sdk::DecisionRow<Call>> rows;
  // ---- TSR-7 "This process does not apply to the following escalation types" ----
  for (const ExcludedType& type : ExcludedTypes()) rows.push_back(ExcludedRow(type));
  // ---- TSR-1 … TSR-5 Requests to speak with a Supervisor ----
  // TSR-2. A transfer between Retention and CS (the merge's order of
  // priorities, docs/architecture.md, The merge, names no other rank).
  rows.push_back({kClaimWarmTransfer,
                  [](const Call& c) { return SupervisorRequest(c) && !NotClaimRelated(c); },
                  sdk::Outcome()
                      .Priority(v1::RETENTION_TRANSFER)
                      .Action(v1::TRANSFER)
                      .To(v1::Decision::CUSTOMER_SERVICE)
                      .Mode(v1::WARM)
                      .Summary("Claim related issue: warm transfer the caller to a "
                               "Customer Service Agent.")
                      .Steps({words::kWarmTransferCs, words::kInformCs,
                              words::kDocumentRequest})
                      .Record(kHistoryEntryType, "with the transfer")});
  // TSR-5. The supervisor keeps the call and asks the management team for help.
  rows.push_back({kManagementTeam,
                  [](const Call& c) { return NotClaimRelated(c) && !SupervisorMayStillResolve(c); },
                  sdk::Outcome()
                      .Priority(v1::LEADERSHIP_DESK_TIER1)
                      .Action(v1::SUPERVISOR_TAKEOVER)
                      .To(v1::Decision::TSR_MANAGEMENT)
                      .Summary("The supervisor cannot resolve the issue: contact "
                               "the TS&R Management Team.")
                      .Step(std::string(words::kContactManagement))});
  // TSR-1.
  rows.push_back({kDeEscalate,
                  [](const Call& c) { return SupervisorMayStillResolve(c) && !NotDeEscalated(c); },
                  sdk::Outcome()
                      .Priority(v1::RESOLVE_IN_DEPARTMENT)
                      .Action(v1::RESOLVE_HERE)
                      .Summary("Attempt to de-escalate.")
                      .Steps({words::kTryToResolve, words::kGuidance}),
                  [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
                    if (c.call.has_de_escalation_failed()) return;
                    sdk::NoteNotKnown(rule, "call.de_escalation_failed",
                                      "the issue cannot be de-escalated",
                                      "a supervisor must take over the call when available "
                                      "(tsr.not_de_escalated.supervisor_takeover)",
                                      d);
                  }});
  // TSR-4, by the agent's site: QuickBase, or email for a BPO agent.
  rows.push_back({kQuickBaseRequest,
                  [](const Call& c) {
                    return NotDeEscalated(c) && NoSupervisorAvailable(c) && !c.call.bpo_agent();
                  },
                  NoSupervisor()
                      .Step(std::string(words::kSubmitQuickBase))
                      .Step(std::string(words::kTellTurnaround), kTurnaround48h)
                      .Record(kCallbackRequestType, "while no supervisor is available"),
                  [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
                    if (!c.call.has_bpo_agent()) sdk::AddNote(rule, words::kBpoNote, d);
                    PromiseCallback(rule, c, d);
                  }});
  rows.push_back({kBpoEmail,
                  [](const Call& c) {
                    return NotDeEscalated(c) && NoSupervisorAvailable(c) && c.call.bpo_agent();
                  },
                  NoSupervisor()
                      .Step(std::string(words::kBpoEmail))
                      .Step(std::string(words::kTellTurnaround), kTurnaround48h),
                  PromiseCallback});
  // TSR-3.
  rows.push_back({kSupervisorTakeover,
                  [](const Call& c) { return NotDeEscalated(c) && !NoSupervisorAvailable(c); },
                  sdk::Outcome()
                      .Priority(v1::LEADERSHIP_DESK_TIER1)
                      .Action(v1::SUPERVISOR_TAKEOVER)
                      .To(v1::Decision::DIRECT_SUPERVISOR)
                      .Summary(std::string(words::kTakeOver))
                      .Step(std::string(words::kTakeOver)),
                  [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
                    if (!c.call.has_supervisor_could_not_resolve()) {
                      sdk::NoteNotKnown(rule, "call.supervisor_could_not_resolve",
                                        "the supervisor cannot resolve the issue",
                                        "they must contact the TS&R Management Team for "
                                        "assistance through phone, chat, or email "
                                        "(tsr.supervisor_cannot_resolve.management)",
                                        d);
                    }
                    if (!c.call.has_supervisor_available()) {
                      sdk::AddNote(rule,
                                   absl::StrCat(words::kIfNoSupervisor, " ",
                                                words::kTellTurnaround),
                                   d);
                    }
                  }});
  // ---- TSR-6 Threats ----
  rows.push_back({kThreatNotifySupervisor,
                  [](const Call& c) { return !Excluded(c) && !NamedThreats(c.call).empty(); },
                  sdk::Outcome()
                      .Priority(v1::RESOLVE_IN_DEPARTMENT)
                      .Action(v1::RESOLVE_HERE)
                      .Summary("If a customer threatens BBB, to contact a lawyer, and/or "
                               "social media platforms, the agent should notify a "
                               "supervisor and document the account accordingly.")
                      .Steps({words::kNotifySupervisor, words::kDocumentAccount}),
                  [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
                    sdk::AddNote(rule,
                                 absl::StrCat("The customer threatens ",
                                              absl::StrJoin(NamedThreats(c.call), ", "), "."),
                                 d);
                  }});
  return sdk::RouteTable<Call>(std::move(rows));
}

}  // namespace escalation::telesales_retention
