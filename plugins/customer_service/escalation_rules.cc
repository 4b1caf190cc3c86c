// Lines of "Customer Service Escalations" and "Leadership Desk" as the
// situations they name: CS-4 (Tier 1 to the Leadership Desk), CS-5 (Tier 2)
// and CS-7 (supervisors unable to assist). The rules that amend these
// proposals are in amending_rules.cc.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/time.h"
#include "rule_kinds.h"

namespace escalation::customer_service {

using sdk::HasReason;
using sdk::HasThreat;

std::vector<RouteRule> EscalationRules() {
  std::vector<RouteRule> t;
  // ---- CS-4 Tier 1 situations the agent cannot de-escalate ----
  t.push_back(LeadershipDesk(
      "cs.leadership_desk.supervisor_request",
      "Supervisor Request the agent cannot de-escalate: live transfer to the "
      "Leadership Desk",
      v1::SUPERVISOR_REQUEST));
  t.push_back(LeadershipDesk(
      "cs.leadership_desk.cinch_service_delay",
      "Cinch Service Delay (parts ordered by Cinch delayed) the agent cannot "
      "de-escalate: live transfer to the Leadership Desk",
      v1::CINCH_SERVICE_DELAY));
  t.push_back(LeadershipDesk(
      "cs.leadership_desk.service_provider_delay",
      "Service Provider Delay (missed appointments, delayed installation, SP "
      "parts not received) the agent cannot de-escalate: live transfer to the "
      "Leadership Desk",
      v1::SERVICE_PROVIDER_DELAY));
  t.push_back(LeadershipDesk(
      "cs.leadership_desk.claim_credit_dispute",
      "Claim Credit Dispute (claim credit or cap amount) the agent cannot "
      "de-escalate: live transfer to the Leadership Desk",
      v1::CLAIM_CREDIT_DISPUTE));
  t.push_back(LeadershipDesk(
      "cs.leadership_desk.replacement_dispute",
      "Replacement Dispute (replacement offered, brand, color, functions) the "
      "agent cannot de-escalate: live transfer to the Leadership Desk",
      v1::REPLACEMENT_DISPUTE));
  t.push_back(LeadershipDesk(
      "cs.leadership_desk.coverage_denial",
      "Coverage Denial (item or failure not addressed) the agent cannot "
      "de-escalate: live transfer to the Leadership Desk",
      v1::COVERAGE_DENIAL));
  t.push_back(LeadershipDesk(
      "cs.leadership_desk.unauthorized_work",
      "Unauthorized Work (completed before calling in for service) the agent "
      "cannot de-escalate: live transfer to the Leadership Desk",
      v1::UNAUTHORIZED_WORK));
  t.push_back(
      {{"cs.leadership_desk.deescalate_first",
        "Tier 1 situation not yet known to be beyond de-escalation: the agent "
        "keeps the call and attempts to de-escalate (design reading)",
        kLeadershipDeskArticle},
       [](const Outcome& o) { return DeEscalateFirst(o.call()); },
       [](const sdk::Rule& rule, Outcome& o) {
         sdk::AddNote(rule,
                      "If you are unable to de-escalate the call, reach out to "
                      "the Leadership Desk to take over the call.",
                      o.Propose(rule, v1::RESOLVE_HERE,
                                v1::Decision::CUSTOMER_SERVICE,
                                v1::RESOLVE_IN_DEPARTMENT,
                                "Attempt to de-escalate the call."));
       }});
  t.push_back(
      {{"cs.tier1.reach_out_to_supervisor",
        "Tier 1 situations: always reach out to your direct supervisor or any "
        "available supervisor for Tier 1 assistance",
        kEscalationsArticle},
       [](const Outcome& o) { return !Tier1Decisions(o).empty(); },
       [](const sdk::Rule& rule, Outcome& o) {
         for (v1::Decision* d : Tier1Decisions(o)) {
           sdk::AddStep(rule,
                        "Always reach out to your direct supervisor or any "
                        "available supervisor for Tier 1 assistance.",
                        d);
         }
       }});
  t.push_back(
      {{"cs.tier1.bpo_supervisor",
        "BPO agent: Tier 1 situations are handled by the BPO Supervisor as "
        "well (design reading of the table heading \"Tier 1/BPO "
        "Supervisor\")",
        kEscalationsArticle},
       [](const Outcome& o) {
         return BpoAgent(o.call()) && !Tier1Decisions(o).empty();
       },
       [](const sdk::Rule& rule, Outcome& o) {
         for (v1::Decision* d : Tier1Decisions(o)) {
           sdk::AddNote(rule,
                        "Escalated Situation: Tier 1/BPO Supervisor. As a BPO "
                        "agent, your BPO Supervisor handles these Tier 1 "
                        "situations as well.",
                        d);
         }
       }});

  t.push_back(
      {{"cs.tier1.not_known",
        "Tier 1 situation: a fact the call does not give that would take it "
        "elsewhere is named in a note with where it would go - the customer "
        "already spoke to a supervisor (Tier 2), the supervisors are unable "
        "to assist (Call Back exception, unless its permission was refused) "
        "(design reading: unknown is never no)",
        kEscalationsArticle},
       [](const Outcome& o) {
         const v1::CallFacts& c = o.call();
         return !Tier1Decisions(o).empty() &&
                ((HasReason(c, v1::SUPERVISOR_REQUEST) &&
                  !c.has_already_spoke_with_supervisor()) ||
                 (!c.has_supervisor_could_not_resolve() &&
                  !CallBackExceptionRefused(c)));
       },
       [](const sdk::Rule& rule, Outcome& o) {
         const v1::CallFacts& c = o.call();
         for (v1::Decision* d : Tier1Decisions(o)) {
           if (HasReason(c, v1::SUPERVISOR_REQUEST) &&
               !c.has_already_spoke_with_supervisor()) {
             sdk::NoteNotKnown(
                 rule, "call.already_spoke_with_supervisor",
                 "the customer has already spoken to a Supervisor and "
                 "requests to speak with someone above Tier 1",
                 "it is a Tier 2 situation: with a supervisor's permission, "
                 "contact Tier 2 (cs.tier2.above_tier1)",
                 d);
           }
           // Once refused, the Call Back exception is no longer offered.
           if (!c.has_supervisor_could_not_resolve() &&
               !CallBackExceptionRefused(c)) {
             sdk::NoteNotKnown(
                 rule, "call.supervisor_could_not_resolve",
                 "the supervisors are unable to assist",
                 "they may give you permission to enter a CallBack exception "
                 "instead (cs.callback_exception.supervisors_unable)",
                 d);
           }
         }
       }});

  // ---- CS-5 Escalated situations handled by Tier 2 ----
  t.push_back(Tier2("cs.tier2.executive_request",
                    "Customer asks to speak to the CEO, President, or "
                    "Executive: Tier 2 with a supervisor's permission",
                    [](const v1::CallFacts& c) {
                      return HasReason(c, v1::EXECUTIVE_REQUEST);
                    }));
  t.push_back(Tier2("cs.tier2.above_tier1",
                    "Customer already spoke to a Supervisor and requests "
                    "someone above Tier 1: Tier 2 with a supervisor's "
                    "permission",
                    [](const v1::CallFacts& c) {
                      return AlreadySpokeWithSupervisor(c) &&
                             HasReason(c, v1::SUPERVISOR_REQUEST);
                    }));
  t.push_back(Tier2("cs.tier2.legal_or_media_threat",
                    "Customer threatens Legal Action or to contact News "
                    "Media: Tier 2 with a supervisor's permission",
                    [](const v1::CallFacts& c) {
                      return HasThreat(c, v1::LEGAL_ACTION) ||
                             HasThreat(c, v1::NEWS_MEDIA);
                    }));
  t.push_back(Tier2("cs.tier2.review_threat",
                    "Customer threatens a review or negative feedback on "
                    "Google, BBB, Social Media, ConsumerAffairs, Trustpilot or "
                    "any other external platform: Tier 2 with a supervisor's "
                    "permission",
                    [](const v1::CallFacts& c) {
                      return HasThreat(c, v1::BBB_COMPLAINT) ||
                             HasThreat(c, v1::SOCIAL_MEDIA) ||
                             HasThreat(c, v1::ONLINE_REVIEW);
                    }));
  t.push_back(Tier2("cs.tier2.property_damage",
                    "Property damage with no response from our Service "
                    "Provider: Tier 2 with a supervisor's permission",
                    [](const v1::CallFacts& c) {
                      return HasReason(c,
                                       v1::PROPERTY_DAMAGE_NO_PROVIDER_RESPONSE);
                    }));
  t.push_back(Tier2("cs.tier2.sos_high_risk",
                    "SOS High Risk Escalation: Tier 2 with a supervisor's "
                    "permission",
                    [](const v1::CallFacts& c) {
                      return HasReason(c, v1::SOS_HIGH_RISK);
                    }));

  // ---- CS-7 Supervisors unable to assist ----
  t.push_back(
      {{"cs.callback_exception.supervisors_unable",
        "Supervisors unable to assist: they may give permission to enter a "
        "Call Back exception; once given, it is acted on whatever else the "
        "call says (design reading: the permission given is read as the "
        "supervisors being unable to assist, as the article gives it only "
        "then); refused, see cs.callback_exception.refused",
        kEscalationsArticle},
       [](const Outcome& o) {
         return SupervisorsUnable(o.call()) &&
                !CallBackExceptionRefused(o.call());
       },
       [](const sdk::Rule& rule, Outcome& o) {
         CallBackException(
             rule, o.call(), o.Propose(rule, v1::SCHEDULE_CALLBACK,
                             v1::Decision::DESTINATION_UNSPECIFIED,
                             v1::LEADERSHIP_DESK_TIER1,
                             "Supervisors are unable to assist: with their "
                             "permission, enter a Call Back exception."));
       }});
  return t;
}

}  // namespace escalation::customer_service
