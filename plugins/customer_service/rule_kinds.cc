#include "rule_kinds.h"

#include <optional>
#include <string>
#include <utility>

#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"

namespace escalation::customer_service {


using sdk::HasReason;

// ---- Facts read by several rules ----

bool True(bool has, bool value) { return has && value; }
bool DeEscalationFailed(const v1::CallFacts& c) {
  return True(c.has_de_escalation_failed(), c.de_escalation_failed());
}
// "If the supervisors are unable to assist, they may give you permission to
// enter a CallBack exception": that permission, given, says they were unable.
bool SupervisorsUnable(const v1::CallFacts& c) {
  return True(c.has_supervisor_could_not_resolve(),
              c.supervisor_could_not_resolve()) ||
         CallBackExceptionPermitted(c);
}
bool CallBackExceptionPermitted(const v1::CallFacts& c) {
  return sdk::PermissionAnswer(c, v1::PERMISSION_CALL_BACK_EXCEPTION) == true;
}
bool CallBackExceptionRefused(const v1::CallFacts& c) {
  return sdk::PermissionAnswer(c, v1::PERMISSION_CALL_BACK_EXCEPTION) == false;
}
bool AlreadySpokeWithSupervisor(const v1::CallFacts& c) {
  return True(c.has_already_spoke_with_supervisor(),
              c.already_spoke_with_supervisor());
}
bool SupervisorApproved(const v1::CallFacts& c) {
  return sdk::PermissionAnswer(c, v1::PERMISSION_TIER2_CONTACT) == true;
}
bool SupervisorDeclined(const v1::CallFacts& c) {
  return sdk::PermissionAnswer(c, v1::PERMISSION_TIER2_CONTACT) == false;
}

// A Tier 1 situation (CS-4). A supervisor request from a customer who has
// already spoken with a supervisor asks for someone above Tier 1 (CS-5).
bool HasTier1Reason(const v1::CallFacts& c, v1::Reason reason) {
  if (reason == v1::SUPERVISOR_REQUEST && AlreadySpokeWithSupervisor(c)) {
    return false;
  }
  return HasReason(c, reason);
}
const std::vector<v1::Reason>& Tier1Reasons() {
  static const auto* reasons = new std::vector<v1::Reason>{
      v1::SUPERVISOR_REQUEST,   v1::CINCH_SERVICE_DELAY,
      v1::SERVICE_PROVIDER_DELAY, v1::CLAIM_CREDIT_DISPUTE,
      v1::REPLACEMENT_DISPUTE,  v1::COVERAGE_DENIAL,
      v1::UNAUTHORIZED_WORK};
  return *reasons;
}
bool AnyTier1Reason(const v1::CallFacts& c) {
  for (v1::Reason r : Tier1Reasons()) {
    if (HasTier1Reason(c, r)) return true;
  }
  return false;
}

// A Tier 1 situation the agent is still to de-escalate.
bool DeEscalateFirst(const v1::CallFacts& c) {
  return AnyTier1Reason(c) && !DeEscalationFailed(c) && !SupervisorsUnable(c);
}
// The proposals for a Tier 1 situation: the Leadership Desk transfer and
// the attempt to de-escalate.
Outcome::DecisionList Tier1Decisions(const Outcome& o) {
  Outcome::DecisionList out;
  if (v1::Decision* d = o.Find(v1::TRANSFER, v1::Decision::LEADERSHIP_DESK)) {
    out.push_back(d);
  }
  if (DeEscalateFirst(o.call())) {
    // Proposed by cs.leadership_desk.deescalate_first, earlier in the table.
    if (v1::Decision* d =
            o.Find(v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE)) {
      out.push_back(d);
    }
  }
  return out;
}
bool BpoAgent(const v1::CallFacts& c) {
  return True(c.has_bpo_agent(), c.bpo_agent());
}

v1::Decision* Tier2Decision(const Outcome& o) {
  for (v1::Decision* d : o.Decisions()) {
    if (d->destination() == v1::Decision::TIER2) return d;
  }
  return nullptr;
}
bool Tier2Closed(const Outcome& o) {
  return Tier2Decision(o) != nullptr && !Tier2Hours().IsOpen(o.now());
}
bool HasCallBackException(const v1::Decision& d) {
  for (const v1::RequiredRecord& r : d.required_records()) {
    if (r.kind() == v1::CALL_BACK_EXCEPTION) return true;
  }
  return false;
}

// ---- What rules do ----

// Declared and validated by the leadership_desk plugin.
constexpr char kCallBackExceptionType[] = "leadership_desk.callback_exception";

void Steps(const sdk::Rule& rule, const std::vector<std::string>& steps,
           v1::Decision* d) {
  for (const std::string& s : steps) sdk::AddStep(rule, s, d);
}

// CS-7: the supervisors' permission to enter a Call Back exception.
void CallBackException(const sdk::Rule& rule, const v1::CallFacts& call,
                       v1::Decision* d) {
  d->set_action(v1::SCHEDULE_CALLBACK);
  d->set_transfer_mode(v1::TRANSFER_MODE_UNSPECIFIED);
  sdk::RequirePermission(rule, v1::PERMISSION_CALL_BACK_EXCEPTION, call, d);
  const std::optional<bool> given =
      sdk::PermissionAnswer(call, v1::PERMISSION_CALL_BACK_EXCEPTION);
  if (given == true) {
    // Acted on: nothing asks for the permission any more.
    d->set_summary(
        "A supervisor gave permission to enter a Call Back exception: enter "
        "it once the call has ended.");
    sdk::AddNote(rule, "A supervisor gave permission to enter a Call Back "
                       "exception.", d);
    return;
  }
  // Not known yet (a refusal never comes here: cs.callback_exception.refused).
  sdk::AddStep(rule,
               "If the supervisors are unable to assist, they may give you "
               "permission to enter a CallBack exception.",
               d);
}

// How a ServiceBench Call Back exception is entered, in the words of the
// "Leadership Desk" article (LD-5), the one article that says so.
void ServiceBenchCallBackException(const sdk::Rule& rule, v1::Decision* d) {
  sdk::AddSteps(
      rule,
      {"Once call has ended, create the Call Back Exception in ServiceBench.",
       "Click the Exceptions tab in ServiceBench.",
       "Under Exception Type, select Call Back.",
       "Under Exception Status, select Open.",
       "Enter the appropriate comment based on the reason using the approved "
       "Exception Comments."},
      d);
  // The leadership_desk plugin declares and validates this record type.
  static const v1::RecordTypeInfo* type = new v1::RecordTypeInfo(
      sdk::MakeRecordType(
          kCallBackExceptionType, "", rule, v1::SERVICEBENCH,
          v1::CALL_BACK_EXCEPTION,
          {{"Exception Type", "exception_type", "Call Back", ""},
           {"Exception Status", "exception_status", "Open", ""},
           {"Comment", "text", "",
            "The appropriate comment for the reason from the approved "
            "Exception Comments."}}));
  sdk::AddRecord(rule, *type, "once the call has ended", d);
}

void OfferExceptionComments(const std::vector<std::string>& comments,
                            v1::PluginRouteResponse* response) {
  for (v1::Proposal& p : *response->mutable_proposals()) {
    for (v1::RequiredRecord& r :
         *p.mutable_decision()->mutable_required_records()) {
      if (r.record_type() != kCallBackExceptionType) continue;
      for (v1::RecordField& f : *r.mutable_fields()) {
        if (f.task_field() != "text") continue;
        f.clear_allowed_values();
        for (const std::string& c : comments) f.add_allowed_values(c);
      }
    }
  }
}

// ---- Rule builders, one per kind of article line ----

RouteRule Resolve(std::string id, std::string title, v1::Reason reason,
                  std::vector<std::string> steps) {
  return {{std::move(id), std::move(title), kRetentionArticle},
          [reason](const Outcome& o) { return HasReason(o.call(), reason); },
          [steps](const sdk::Rule& rule, Outcome& o) {
            Steps(rule, steps,
                  o.Propose(rule, v1::RESOLVE_HERE,
                            v1::Decision::CUSTOMER_SERVICE,
                            v1::RESOLVE_IN_DEPARTMENT,
                            "Resolve in Customer Service; do not transfer to "
                            "Retention."));
          }};
}

void ToRetention(const sdk::Rule& rule, Outcome& o) {
  o.Propose(rule, v1::TRANSFER, v1::Decision::RETENTION,
            v1::RETENTION_TRANSFER, "Transfer the call to Retention.");
}

RouteRule Retention(std::string id, std::string title,
                    std::vector<v1::Reason> reasons,
                    std::vector<std::string> notes) {
  return {{std::move(id), std::move(title), kRetentionArticle},
          [reasons](const Outcome& o) {
            for (v1::Reason r : reasons) {
              if (HasReason(o.call(), r)) return true;
            }
            return false;
          },
          [notes](const sdk::Rule& rule, Outcome& o) {
            ToRetention(rule, o);
            v1::Decision* d = o.Find(v1::TRANSFER, v1::Decision::RETENTION);
            for (const std::string& n : notes) sdk::AddNote(rule, n, d);
          }};
}

RouteRule LeadershipDesk(std::string id, std::string title, v1::Reason reason) {
  return {{std::move(id), std::move(title), kLeadershipDeskArticle},
          [reason](const Outcome& o) {
            const v1::CallFacts& c = o.call();
            return HasTier1Reason(c, reason) && DeEscalationFailed(c) &&
                   !SupervisorsUnable(c);
          },
          [](const sdk::Rule& rule, Outcome& o) {
            o.Propose(rule, v1::TRANSFER,
                      v1::Decision::LEADERSHIP_DESK,
                      v1::LEADERSHIP_DESK_TIER1,
                      "Live transfer to the Leadership Desk to take over the "
                      "call.")
                ->set_transfer_mode(v1::LIVE);
          }};
}

RouteRule Tier2(std::string id, std::string title,
                std::function<bool(const v1::CallFacts&)> when) {
  return {{std::move(id), std::move(title), kEscalationsArticle},
          [when](const Outcome& o) { return when(o.call()); },
          [](const sdk::Rule& rule, Outcome& o) {
            o.Propose(rule, v1::TRANSFER, v1::Decision::TIER2,
                      v1::TIER2_SITUATION,
                      "Tier 2 situation: with a supervisor's permission, "
                      "contact Tier 2.")
                ->set_requires_supervisor_approval(true);
          }};
}

}  // namespace escalation::customer_service
