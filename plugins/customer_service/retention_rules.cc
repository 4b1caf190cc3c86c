// "Transferring A Call To Retention": the calls that should not be transferred
// (CS-2), those that should (CS-3), and the recording disclosure on every
// transfer (CS-1).
#include <initializer_list>
#include <string>
#include <utility>

#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "rules.h"

namespace escalation::customer_service {
namespace {

using sdk::HasReason;
using sdk::Outcome;

constexpr char kUpdateInTimx[] =
    "Access the customer’s account in TIMX SCM and make the updates directly.";
constexpr char kVerifyInTimx[] =
    "Review the customer’s account in TIMX SCM to verify the status of the "
    "contract.";
constexpr char kOnlyRedFlag[] =
    "Only call Retention if the contract is Red Flag in TIMX SCM to resolve "
    "the payment issue.";

sdk::Rule Line(std::string id, std::string title) {
  return {std::move(id), std::move(title), kRetentionArticle};
}

// The call gives any of `reasons`.
Row::When AnyOf(std::initializer_list<v1::Reason> reasons) {
  return [list = std::vector<v1::Reason>(reasons)](const Call& c) {
    for (v1::Reason r : list) {
      if (HasReason(c.call, r)) return true;
    }
    return false;
  };
}

bool DunningIn(const Call& c, v1::ContractStatus timx) {
  return c.call.servicebench_contract_status() == v1::DUNNING_PENDING_CANCEL &&
         c.call.timx_contract_status() == timx;
}

Outcome NotRetention() {
  return KeepTheCall("Resolve in Customer Service; do not transfer to Retention.");
}
Outcome ToRetention() {
  return Outcome()
      .Priority(v1::RETENTION_TRANSFER)
      .Action(v1::TRANSFER)
      .To(v1::Decision::RETENTION)
      .Summary("Transfer the call to Retention.");
}

}  // namespace

Rows RetentionProposals() {
  return {
      // ---- CS-2 "Calls That Should NOT be Transferred to Retention" ----
      {Line("cs.resolve.coverage_question",
            "Coverage question: answer with the help system or the Dec Page in TIMX "
            "SCM, not Retention"),
       AnyOf({v1::COVERAGE_QUESTION}),
       NotRetention().Steps(
           {"Utilize the help system to answer the customer’s questions.",
            "The customer’s Dec Page can also be accessed through TIMX SCM which "
            "will list the items."})},
      {Line("cs.resolve.fulfillment_kit",
            "Fulfillment kit request: request it in TIMX SCM, not Retention"),
       AnyOf({v1::FULFILLMENT_KIT_REQUEST}),
       NotRetention().Step("To request a fulfillment kit be mailed, access the "
                           "customer’s account in TIMX SCM.")},
      {Line("cs.resolve.update_email",
            "Add/update email: update it in TIMX SCM, not Retention"),
       AnyOf({v1::UPDATE_EMAIL}), NotRetention().Step(kUpdateInTimx)},
      {Line("cs.resolve.update_phone",
            "Add/update phone: update it in TIMX SCM, not Retention"),
       AnyOf({v1::UPDATE_PHONE}), NotRetention().Step(kUpdateInTimx)},
      {Line("cs.resolve.update_zip",
            "Add/update ZIP code: update it in TIMX SCM, not Retention (the "
            "property address goes to Retention)"),
       AnyOf({v1::UPDATE_ZIP_CODE}), NotRetention().Step(kUpdateInTimx)},
      {Line("cs.resolve.dunning_timx_active",
            "ServiceBench Dunning pending cancel, TIMX SCM Active: proceed with "
            "assisting the customer"),
       [](const Call& c) { return DunningIn(c, v1::ACTIVE); },
       KeepTheCall("Contract is Active in TIMX SCM: assist the customer in "
                   "Customer Service.")
           .Steps({kVerifyInTimx, "If Active, proceed with assisting customer."})},
      {Line("cs.resolve.dunning_verify_timx",
            "ServiceBench Dunning pending cancel, TIMX SCM status not known or "
            "neither Active nor Red Flag: verify in TIMX SCM before any transfer "
            "(design reading)"),
       [](const Call& c) {
         return c.call.servicebench_contract_status() == v1::DUNNING_PENDING_CANCEL &&
                !DunningIn(c, v1::ACTIVE) && !DunningIn(c, v1::RED_FLAG);
       },
       KeepTheCall("Verify the contract status in TIMX SCM before transferring.")
           .Step(kVerifyInTimx)
           .Note("If Active, proceed with assisting customer.")
           .Note(kOnlyRedFlag)},
      {Line("cs.resolve.service_job_refund",
            "Refund or compensation over a Service Job experience: seek your "
            "direct Supervisor's assistance; Retention does not refund or waive "
            "payments"),
       AnyOf({v1::SERVICE_JOB_REFUND_REQUEST}),
       Outcome()
           .Priority(v1::RESOLVE_IN_DEPARTMENT)
           .Action(v1::RESOLVE_HERE)
           .To(v1::Decision::DIRECT_SUPERVISOR)
           .Summary("Seek assistance from your direct Supervisor; do not transfer "
                    "to Retention.")
           .Step("Seek assistance from your direct Supervisor.")
           .Note("Retention does NOT process refunds or waive payments based on "
                 "Service Job experience.")},

      // ---- CS-3 "Calls That Should be Transferred to Retention" ----
      {Line("cs.retention.cancel",
            "Customer wants to cancel the contract: transfer to Retention"),
       AnyOf({v1::CANCEL_CONTRACT}), ToRetention()},
      {Line("cs.retention.property_address",
            "Customer wants to update the property address (not including the ZIP "
            "code): transfer to Retention"),
       AnyOf({v1::UPDATE_PROPERTY_ADDRESS}), ToRetention()},
      {Line("cs.retention.reinstate",
            "Customer wants to reinstate the contract: transfer to Retention"),
       AnyOf({v1::REINSTATE_CONTRACT}), ToRetention()},
      {Line("cs.retention.premium_or_billing",
            "Payment towards premium or any other billing inquiry: transfer to "
            "Retention"),
       AnyOf({v1::PREMIUM_PAYMENT, v1::BILLING_INQUIRY}), ToRetention()},
      {Line("cs.retention.new_coverage",
            "Enrolling into new coverage: transfer to Retention"),
       AnyOf({v1::ENROLL_NEW_COVERAGE}), ToRetention()},
      {Line("cs.retention.add_options",
            "Adding options and additions within proper time frames: transfer to "
            "Retention"),
       AnyOf({v1::ADD_OPTIONS}),
       ToRetention().Note("Customer wants to add options and additions within "
                          "proper time frames.")},
      {Line("cs.retention.authorized_user",
            "Adding another authorized user to the contract: transfer to Retention"),
       AnyOf({v1::ADD_AUTHORIZED_USER}), ToRetention()},
      {Line("cs.retention.dunning_red_flag",
            "ServiceBench Dunning pending cancel, TIMX SCM Red Flag: call "
            "Retention to resolve the payment issue"),
       [](const Call& c) { return DunningIn(c, v1::RED_FLAG); },
       ToRetention().Step(kVerifyInTimx).Note(kOnlyRedFlag)},
  };
}

// CS-2: on every proposal not to Retention.
Row NotToRetentionRow() {
  return Row::Amend(
      Line("cs.resolve.supervisor_request_not_retention",
           "Supervisor request regarding a Service Job: adhere to the Escalation "
           "Protocols, never transfer to Retention"),
      [](const Call& c) {
        return HasReason(c.call, v1::SUPERVISOR_REQUEST) &&
               sdk::IsTrue(c.call.has_concerns_service_job(),
                           c.call.concerns_service_job());
      },
      [](const Call&, const v1::Decision& d) {
        return d.destination() != v1::Decision::RETENTION;
      },
      Outcome()
          .Note("Adhere to the Escalation Protocols.")
          .Note("Supervisor requests should NOT be transferred to Retention."));
}

// CS-1 design reading: a transfer out of CS to another department (Retention,
// Tier 2, the Leadership Desk: each is its own destination,
// docs/architecture.md, The parts).
Row RecordingDisclosureRow() {
  return Row::Amend(
      Line("cs.transfer.recording_disclosure",
           "Every transfer out of Customer Service to another department "
           "(Retention, Tier 2, the Leadership Desk's live transfer) includes the "
           "recording disclosure VERBATIM (design reading: \"all transfers\" read "
           "as every transfer to another department)"),
      Always,
      [](const Call&, const v1::Decision& d) {
        return d.action() == v1::TRANSFER &&
               (d.destination() == v1::Decision::RETENTION ||
                d.destination() == v1::Decision::TIER2 ||
                d.destination() == v1::Decision::LEADERSHIP_DESK);
      },
      Outcome().Script("recording_disclosure", kRecordingDisclosure));
}

}  // namespace escalation::customer_service
