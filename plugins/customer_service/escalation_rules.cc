// "Customer Service Escalations": the supervisor's help in Tier 1 situations
// (CS-4), notating the permission (CS-8), the refusal scripts (CS-9) and the
// reasons no rule covers. Tier 2 and the Call Back exception (CS-5 … CS-7)
// are in tier2_rules.cc.
#include <string>

#include "absl/strings/ascii.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "rules.h"

namespace escalation::customer_service {
namespace {

using sdk::HasReason;

sdk::Rule Line(std::string id, std::string title) {
  return {std::move(id), std::move(title), kEscalationsArticle};
}

constexpr v1::Reason kTier1Reasons[] = {
    v1::SUPERVISOR_REQUEST,  v1::CINCH_SERVICE_DELAY, v1::SERVICE_PROVIDER_DELAY,
    v1::CLAIM_CREDIT_DISPUTE, v1::REPLACEMENT_DISPUTE, v1::COVERAGE_DENIAL,
    v1::UNAUTHORIZED_WORK};

bool AnyTier1Reason(const v1::CallFacts& c) {
  for (v1::Reason r : kTier1Reasons) {
    if (HasTier1Reason(c, r)) return true;
  }
  return false;
}

// The proposals of a Tier 1 situation: the Leadership Desk transfer, and the
// attempt to de-escalate (cs.leadership_desk.deescalate_first).
bool IsTier1Proposal(const Call& c, const v1::Decision& d) {
  if (d.action() == v1::TRANSFER && d.destination() == v1::Decision::LEADERSHIP_DESK) {
    return true;
  }
  return d.action() == v1::RESOLVE_HERE &&
         d.destination() == v1::Decision::CUSTOMER_SERVICE && DeEscalateFirst(c.call);
}

bool SupervisorRequestNotKnownAbove(const v1::CallFacts& c) {
  return HasReason(c, v1::SUPERVISOR_REQUEST) && !c.has_already_spoke_with_supervisor();
}
// Once refused, the Call Back exception is no longer offered.
bool SupervisorsUnableNotKnown(const v1::CallFacts& c) {
  return !c.has_supervisor_could_not_resolve() && !CallBackExceptionRefused(c);
}

constexpr char kRefusalConcern[] =
    "[customer name] I understand your concern and would like to get some "
    "information and understand your situation before I contact a "
    "supervisor.";
constexpr char kRefusalAccess[] =
    "[customer name] IF you allow me the opportunity to access your service "
    "job, THEN I can review the status AND see if I can answer questions OR "
    "advise my supervisor of the situation.";

}  // namespace

// ---- Facts several rows read ----

bool Always(const Call&) { return true; }
bool DeEscalationFailed(const v1::CallFacts& c) {
  return sdk::IsTrue(c.has_de_escalation_failed(), c.de_escalation_failed());
}
// "If the supervisors are unable to assist, they may give you permission to
// enter a CallBack exception": that permission, given, says they were unable.
bool SupervisorsUnable(const v1::CallFacts& c) {
  return sdk::IsTrue(c.has_supervisor_could_not_resolve(),
                     c.supervisor_could_not_resolve()) ||
         sdk::FactOf(sdk::PermissionAnswer(c, v1::PERMISSION_CALL_BACK_EXCEPTION)) ==
             sdk::Known::kTrue;
}
bool CallBackExceptionRefused(const v1::CallFacts& c) {
  return sdk::FactOf(sdk::PermissionAnswer(c, v1::PERMISSION_CALL_BACK_EXCEPTION)) ==
         sdk::Known::kFalse;
}
// A supervisor request from a customer who has already spoken with a
// supervisor asks for someone above Tier 1 (CS-5).
bool HasTier1Reason(const v1::CallFacts& c, v1::Reason reason) {
  if (reason == v1::SUPERVISOR_REQUEST &&
      sdk::IsTrue(c.has_already_spoke_with_supervisor(),
                  c.already_spoke_with_supervisor())) {
    return false;
  }
  return HasReason(c, reason);
}
bool DeEscalateFirst(const v1::CallFacts& c) {
  return AnyTier1Reason(c) && !DeEscalationFailed(c) && !SupervisorsUnable(c);
}
sdk::Outcome KeepTheCall(std::string summary) {
  return sdk::Outcome()
      .Priority(v1::RESOLVE_IN_DEPARTMENT)
      .Action(v1::RESOLVE_HERE)
      .To(v1::Decision::CUSTOMER_SERVICE)
      .Summary(std::move(summary));
}

// ---- CS-4: the supervisor's help in a Tier 1 situation ----
Rows Tier1Rows() {
  return {
      Row::Amend(Line("cs.tier1.reach_out_to_supervisor",
                      "Tier 1 situations: always reach out to your direct supervisor "
                      "or any available supervisor for Tier 1 assistance"),
                 Always, IsTier1Proposal,
                 sdk::Outcome().Step("Always reach out to your direct supervisor or "
                                     "any available supervisor for Tier 1 "
                                     "assistance.")),
      Row::Amend(Line("cs.tier1.bpo_supervisor",
                      "BPO agent: Tier 1 situations are handled by the BPO "
                      "Supervisor as well (design reading of the table heading "
                      "\"Tier 1/BPO Supervisor\")"),
                 [](const Call& c) {
                   return sdk::IsTrue(c.call.has_bpo_agent(), c.call.bpo_agent());
                 },
                 IsTier1Proposal,
                 sdk::Outcome().Note("Escalated Situation: Tier 1/BPO Supervisor. As "
                                     "a BPO agent, your BPO Supervisor handles these "
                                     "Tier 1 situations as well.")),
      Row::Amend(
          Line("cs.tier1.not_known",
               "Tier 1 situation: a fact the call does not give that would take it "
               "elsewhere is named in a note with where it would go - the customer "
               "already spoke to a supervisor (Tier 2), the supervisors are unable "
               "to assist (Call Back exception, unless its permission was refused) "
               "(design reading: unknown is never no)"),
          [](const Call& c) {
            return SupervisorRequestNotKnownAbove(c.call) ||
                   SupervisorsUnableNotKnown(c.call);
          },
          IsTier1Proposal, sdk::Outcome(),
          // Which facts are not known depends on the call.
          [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
            if (SupervisorRequestNotKnownAbove(c.call)) {
              sdk::NoteNotKnown(
                  rule, "call.already_spoke_with_supervisor",
                  "the customer has already spoken to a Supervisor and requests to "
                  "speak with someone above Tier 1",
                  "it is a Tier 2 situation: with a supervisor's permission, "
                  "contact Tier 2 (cs.tier2.above_tier1)",
                  d);
            }
            if (SupervisorsUnableNotKnown(c.call)) {
              sdk::NoteNotKnown(
                  rule, "call.supervisor_could_not_resolve",
                  "the supervisors are unable to assist",
                  "they may give you permission to enter a CallBack exception "
                  "instead (cs.callback_exception.supervisors_unable)",
                  d);
            }
          }),
  };
}

// ---- CS-8 ----
const sdk::Rule& NotatePermissionRule() {
  static const sdk::Rule* rule = new sdk::Rule(Line(
      "cs.supervisor_permission.notate",
      "The supervisor's permission (Call Back exception or Tier 2) is notated in "
      "the final comments of the Service Request (design reading of the check on "
      "SERVICE_REQUEST_COMMENT tasks: free text cannot prove the notation, so "
      "empty comments are an error and comments that never mention a supervisor "
      "a warning)"));
  return *rule;
}

v1::RecordTypeInfo FinalCommentsType() {
  return sdk::MakeRecordType(
      kFinalComments,
      "The final comments of the Service Request, notating the supervisor's "
      "permission (CS-8)",
      NotatePermissionRule(), v1::TASK_SYSTEM_UNSPECIFIED, v1::SERVICE_REQUEST_COMMENT,
      {{"Final comments", "text", "",
        "The supervisor's permission (to enter a Call Back exception or to "
        "contact Tier 2)."}});
}

Row NotatePermissionRow() {
  return Row::Amend(
      NotatePermissionRule(), Always,
      [](const Call&, const v1::Decision& d) {
        return d.destination() == v1::Decision::TIER2 || HasCallBackExceptionRecord(d);
      },
      sdk::Outcome()
          .Step("You must notate this information in your final comments in the "
                "Service Request.")
          .Record(kFinalComments, "in the final comments of the Service Request"));
}

// Free text cannot be proven to notate the permission: an empty comment is an
// error, a comment that never mentions a supervisor a warning (design reading).
CheckRows CommentChecks() {
  return {
      {NotatePermissionRule(), [](const Comments&) { return true; },
       [](const sdk::Rule& rule, const Comments&, v1::PluginValidateResponse* r) {
         sdk::Cite(rule, r);
       }},
      {NotatePermissionRule(),
       [](const Comments& c) { return absl::StripAsciiWhitespace(c.text).empty(); },
       [](const sdk::Rule& rule, const Comments&, v1::PluginValidateResponse* r) {
         sdk::AddViolation(rule, "text",
                           "The final comments of the Service Request are empty: "
                           "notate the supervisor's permission (Call Back exception "
                           "or Tier 2).",
                           v1::ERROR, r);
       }},
      {NotatePermissionRule(),
       [](const Comments& c) {
         return !absl::StripAsciiWhitespace(c.text).empty() &&
                absl::AsciiStrToLower(c.text).find("supervisor") == std::string::npos;
       },
       [](const sdk::Rule& rule, const Comments&, v1::PluginValidateResponse* r) {
         sdk::AddViolation(rule, "text",
                           "The final comments never mention a supervisor: notate "
                           "the supervisor's permission (Call Back exception or "
                           "Tier 2).",
                           v1::WARNING, r);
       }},
      {NotatePermissionRule(),
       [](const Comments& c) { return c.task.record_type() == kFinalComments; },
       [](const sdk::Rule& rule, const Comments& c, v1::PluginValidateResponse* r) {
         sdk::CheckRecordFields(rule, c.final_comments, c.task, r);
       }},
  };
}

// ---- CS-9 ----
Row RefusalScriptsRow() {
  return {Line("cs.refusal.scripts",
               "Customer refuses to give information: the suggested scripts, with "
               "the customer's name"),
          [](const Call& c) {
            return sdk::IsTrue(c.call.has_customer_refuses_information(),
                               c.call.customer_refuses_information());
          },
          KeepTheCall("Customer refuses to give information: use the suggested "
                      "scripts before contacting a supervisor."),
          // The scripts carry the customer's name.
          [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
            const std::string& name = c.call.customer_name();
            sdk::AddScript(rule, "refusal_concern",
                           sdk::FillCustomerName(kRefusalConcern, name), d);
            sdk::AddScript(rule, "refusal_access",
                           sdk::FillCustomerName(kRefusalAccess, name), d);
          }};
}

// ---- Reasons no rule covers (design reading) ----
sdk::UncoveredReasons UncoveredReasonsRow() {
  return {Line("cs.uncovered.reason_or_threat",
               "A reason or threat of the call that no rule of the Customer Service "
               "articles covers (e.g. a medical emergency, a risk to a person, a "
               "media inquiry, an attorney calling) is named in a note on every "
               "proposal; with no other proposal, the call stays in Customer Service "
               "with that note. No route is invented (design reading: the articles "
               "are silent on these reasons)"),
          v1::CUSTOMER_SERVICE,
          v1::Decision::CUSTOMER_SERVICE,
          "No rule of the Customer Service articles covers this call's reasons or "
          "threats; see the notes.",
          "no rule of the Customer Service articles covers this",
          "; follow your site's procedure for it."};
}

}  // namespace escalation::customer_service
