// "Leadership Desk": the Tier 1 situations the agent cannot de-escalate go to
// the Leadership Desk live (CS-4), and a Call Back exception is entered in
// ServiceBench as its LD-5 says (borrowed by CS-7).
#include <string>
#include <utility>

#include "escalation/sdk/decision.h"
#include "escalation/sdk/records.h"
#include "rules.h"

namespace escalation::customer_service {
namespace {

// Declared and validated by the leadership_desk plugin.
constexpr char kCallBackExceptionType[] = "leadership_desk.callback_exception";

// A Tier 1 situation of `reason` the agent could not de-escalate, and the
// supervisors did not say they are unable to assist.
Row::When CannotDeEscalate(v1::Reason reason) {
  return [reason](const Call& c) {
    return HasTier1Reason(c.call, reason) && DeEscalationFailed(c.call) &&
           !SupervisorsUnable(c.call);
  };
}

Row ToLeadershipDesk(std::string id, std::string title, v1::Reason reason) {
  return {{std::move(id), std::move(title), kLeadershipDeskArticle},
          CannotDeEscalate(reason),
          sdk::Outcome()
              .Priority(v1::LEADERSHIP_DESK_TIER1)
              .Action(v1::TRANSFER)
              .To(v1::Decision::LEADERSHIP_DESK)
              .Mode(v1::LIVE)
              .Summary("Live transfer to the Leadership Desk to take over the call.")};
}

// The record LD-5 describes; the leadership_desk plugin declares it.
const v1::RecordTypeInfo& CallBackExceptionType(const sdk::Rule& rule) {
  static const v1::RecordTypeInfo* type = new v1::RecordTypeInfo(sdk::MakeRecordType(
      kCallBackExceptionType, "", rule, v1::SERVICEBENCH, v1::CALL_BACK_EXCEPTION,
      {{"Exception Type", "exception_type", "Call Back", ""},
       {"Exception Status", "exception_status", "Open", ""},
       {"Comment", "text", "",
        "The appropriate comment for the reason from the approved Exception "
        "Comments."}}));
  return *type;
}

}  // namespace

// ---- CS-4 Tier 1 situations the agent cannot de-escalate ----
Rows LeadershipDeskProposals() {
  return {
      ToLeadershipDesk("cs.leadership_desk.supervisor_request",
                       "Supervisor Request the agent cannot de-escalate: live "
                       "transfer to the Leadership Desk",
                       v1::SUPERVISOR_REQUEST),
      ToLeadershipDesk("cs.leadership_desk.cinch_service_delay",
                       "Cinch Service Delay (parts ordered by Cinch delayed) the "
                       "agent cannot de-escalate: live transfer to the Leadership "
                       "Desk",
                       v1::CINCH_SERVICE_DELAY),
      ToLeadershipDesk("cs.leadership_desk.service_provider_delay",
                       "Service Provider Delay (missed appointments, delayed "
                       "installation, SP parts not received) the agent cannot "
                       "de-escalate: live transfer to the Leadership Desk",
                       v1::SERVICE_PROVIDER_DELAY),
      ToLeadershipDesk("cs.leadership_desk.claim_credit_dispute",
                       "Claim Credit Dispute (claim credit or cap amount) the "
                       "agent cannot de-escalate: live transfer to the Leadership "
                       "Desk",
                       v1::CLAIM_CREDIT_DISPUTE),
      ToLeadershipDesk("cs.leadership_desk.replacement_dispute",
                       "Replacement Dispute (replacement offered, brand, color, "
                       "functions) the agent cannot de-escalate: live transfer to "
                       "the Leadership Desk",
                       v1::REPLACEMENT_DISPUTE),
      ToLeadershipDesk("cs.leadership_desk.coverage_denial",
                       "Coverage Denial (item or failure not addressed) the agent "
                       "cannot de-escalate: live transfer to the Leadership Desk",
                       v1::COVERAGE_DENIAL),
      ToLeadershipDesk("cs.leadership_desk.unauthorized_work",
                       "Unauthorized Work (completed before calling in for "
                       "service) the agent cannot de-escalate: live transfer to "
                       "the Leadership Desk",
                       v1::UNAUTHORIZED_WORK),
      {{"cs.leadership_desk.deescalate_first",
        "Tier 1 situation not yet known to be beyond de-escalation: the agent "
        "keeps the call and attempts to de-escalate (design reading)",
        kLeadershipDeskArticle},
       [](const Call& c) { return DeEscalateFirst(c.call); },
       KeepTheCall("Attempt to de-escalate the call.")
           .Note("If you are unable to de-escalate the call, reach out to the "
                 "Leadership Desk to take over the call.")},
  };
}

// How a ServiceBench Call Back exception is entered, in the words of LD-5,
// the one article that says so; the comment's list depends on the
// configuration (OfferExceptionComments).
Row ServiceBenchCallBackRow() {
  return Row::Amend(
      {"cs.callback_exception.servicebench_fields",
       "The Call Back exception is entered as the Leadership Desk article "
       "says: once the call has ended, Exceptions tab in ServiceBench, "
       "Exception Type \"Call Back\", Exception Status \"Open\", comment "
       "from the approved Exception Comments (design reading: \"Customer "
       "Service Escalations\" does not say how, so CS-7 borrows LD-5; the "
       "comment offers those configured for the call's reasons, all of them "
       "when none of its reasons has any)",
       kLeadershipDeskArticle},
      Always, IsCallBackException,
      sdk::Outcome().Steps(
          {"Once call has ended, create the Call Back Exception in ServiceBench.",
           "Click the Exceptions tab in ServiceBench.",
           "Under Exception Type, select Call Back.",
           "Under Exception Status, select Open.",
           "Enter the appropriate comment based on the reason using the approved "
           "Exception Comments."}),
      // The record type is the leadership_desk plugin's, not declared here.
      [](const sdk::Rule& rule, const Call&, v1::Decision* d) {
        sdk::AddRecord(rule, CallBackExceptionType(rule), "once the call has ended", d);
      });
}

bool HasCallBackExceptionRecord(const v1::Decision& d) {
  for (const v1::RequiredRecord& r : d.required_records()) {
    if (r.kind() == v1::CALL_BACK_EXCEPTION) return true;
  }
  return false;
}

void OfferExceptionComments(const sdk::ReasonLists& configured, const v1::CallFacts& call,
                            v1::PluginRouteResponse* response) {
  for (v1::Proposal& p : *response->mutable_proposals()) {
    for (v1::RequiredRecord& r : *p.mutable_decision()->mutable_required_records()) {
      if (r.record_type() != kCallBackExceptionType) continue;
      for (v1::RecordField& f : *r.mutable_fields()) {
        if (f.task_field() != "text") continue;
        f.clear_allowed_values();
        configured.AddForCall(call, f.mutable_allowed_values());
      }
    }
  }
}

}  // namespace escalation::customer_service
