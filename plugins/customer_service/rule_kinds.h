// Facts and rule builders shared by the Customer Service rule table: one
// builder per kind of article line (resolve here, to Retention, to the
// Leadership Desk, to Tier 2).
#ifndef ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULE_KINDS_H_
#define ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULE_KINDS_H_

#include <functional>
#include <string>
#include <vector>

#include "rules.h"

namespace escalation::customer_service {


bool True(bool has, bool value);
bool DeEscalationFailed(const v1::CallFacts& c);
// call.supervisor_could_not_resolve, or the Call Back exception permission
// given (the supervisors give it when they are unable to assist).
bool SupervisorsUnable(const v1::CallFacts& c);
bool CallBackExceptionPermitted(const v1::CallFacts& c);
bool CallBackExceptionRefused(const v1::CallFacts& c);
bool AlreadySpokeWithSupervisor(const v1::CallFacts& c);
// The supervisor's answer about contacting Tier 2 (PERMISSION_TIER2_CONTACT
// in the permission lists, else the v1.0 call.supervisor_approved): given /
// refused. Unknown is neither.
bool SupervisorApproved(const v1::CallFacts& c);
bool SupervisorDeclined(const v1::CallFacts& c);
// A Tier 1 situation (CS-4); SUPERVISOR_REQUEST counts only when the
// customer has not already spoken with a supervisor (then it is CS-5).
bool HasTier1Reason(const v1::CallFacts& c, v1::Reason reason);
const std::vector<v1::Reason>& Tier1Reasons();
bool AnyTier1Reason(const v1::CallFacts& c);
// A Tier 1 situation the agent is still to de-escalate.
bool DeEscalateFirst(const v1::CallFacts& c);
// The proposals of a Tier 1 situation: the Leadership Desk transfer and the
// attempt to de-escalate (those that exist).
Outcome::DecisionList Tier1Decisions(const Outcome& o);
bool BpoAgent(const v1::CallFacts& c);

v1::Decision* Tier2Decision(const Outcome& o);
bool Tier2Closed(const Outcome& o);
bool HasCallBackException(const v1::Decision& d);

void Steps(const sdk::Rule& rule, const std::vector<std::string>& steps,
           v1::Decision* d);
// Turns `d` into the CS-7 path: a Call Back exception with permission, given
// or not known (never refused).
void CallBackException(const sdk::Rule& rule, const v1::CallFacts& call,
                       v1::Decision* d);
// The ServiceBench steps and record of a Call Back exception, as the
// "Leadership Desk" article gives them (LD-5).
void ServiceBenchCallBackException(const sdk::Rule& rule, v1::Decision* d);
// Sets `comments` (the configured approved Exception Comments for the call's
// reasons) as the allowed values of the comment of every Call Back exception
// record the proposals require.
void OfferExceptionComments(const std::vector<std::string>& comments,
                            v1::PluginRouteResponse* response);

RouteRule Resolve(std::string id, std::string title, v1::Reason reason,
                  std::vector<std::string> steps);
void ToRetention(const sdk::Rule& rule, Outcome& o);
// `notes` (the article's words) go on the Retention proposal.
RouteRule Retention(std::string id, std::string title,
                    std::vector<v1::Reason> reasons,
                    std::vector<std::string> notes = {});
RouteRule LeadershipDesk(std::string id, std::string title, v1::Reason reason);
RouteRule Tier2(std::string id, std::string title,
                std::function<bool(const v1::CallFacts&)> when);

// The parts of the table, in the order they are applied.
std::vector<RouteRule> RetentionArticleRules();  // CS-2, CS-3
std::vector<RouteRule> EscalationRules();        // CS-4, CS-5, CS-7
std::vector<RouteRule> AmendingRules();          // CS-5…CS-9, CS-1 on proposals
std::vector<RouteRule> UncoveredRules();         // reasons no rule covers, last

}  // namespace escalation::customer_service

#endif  // ESCALATION_PLUGINS_CUSTOMER_SERVICE_RULE_KINDS_H_
