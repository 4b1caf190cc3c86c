#include "rules.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "escalation/sdk/decision.h"
#include "escalation/sdk/records.h"
#include "rule_kinds.h"

namespace escalation::customer_service {
namespace {

using sdk::HasReason;

constexpr char kUpdateInTimx[] =
    "Access the customer’s account in TIMX SCM and make the updates directly.";
constexpr char kVerifyInTimx[] =
    "Review the customer’s account in TIMX SCM to verify the status of the "
    "contract.";
constexpr char kOnlyRedFlag[] =
    "Only call Retention if the contract is Red Flag in TIMX SCM to resolve "
    "the payment issue.";

bool DunningInServiceBench(const v1::CallFacts& c) {
  return c.servicebench_contract_status() == v1::DUNNING_PENDING_CANCEL;
}

}  // namespace

// Lines of "Transferring A Call To Retention" (CS-2, CS-3).
std::vector<RouteRule> RetentionArticleRules() {
  std::vector<RouteRule> t;
  // ---- CS-2 "Calls That Should NOT be Transferred to Retention" ----
  t.push_back(Resolve(
      "cs.resolve.coverage_question",
      "Coverage question: answer with the help system or the Dec Page in TIMX "
      "SCM, not Retention",
      v1::COVERAGE_QUESTION,
      {"Utilize the help system to answer the customer’s questions.",
       "The customer’s Dec Page can also be accessed through TIMX SCM which "
       "will list the items."}));
  t.push_back(Resolve(
      "cs.resolve.fulfillment_kit",
      "Fulfillment kit request: request it in TIMX SCM, not Retention",
      v1::FULFILLMENT_KIT_REQUEST,
      {"To request a fulfillment kit be mailed, access the customer’s account "
       "in TIMX SCM."}));
  t.push_back(Resolve("cs.resolve.update_email",
                      "Add/update email: update it in TIMX SCM, not Retention",
                      v1::UPDATE_EMAIL, {kUpdateInTimx}));
  t.push_back(Resolve("cs.resolve.update_phone",
                      "Add/update phone: update it in TIMX SCM, not Retention",
                      v1::UPDATE_PHONE, {kUpdateInTimx}));
  t.push_back(Resolve(
      "cs.resolve.update_zip",
      "Add/update ZIP code: update it in TIMX SCM, not Retention (the "
      "property address goes to Retention)",
      v1::UPDATE_ZIP_CODE, {kUpdateInTimx}));
  t.push_back(
      {{"cs.resolve.dunning_timx_active",
        "ServiceBench Dunning pending cancel, TIMX SCM Active: proceed with "
        "assisting the customer",
        kRetentionArticle},
       [](const Outcome& o) {
         return DunningInServiceBench(o.call()) &&
                o.call().timx_contract_status() == v1::ACTIVE;
       },
       [](const sdk::Rule& rule, Outcome& o) {
         sdk::AddSteps(rule, {kVerifyInTimx, "If Active, proceed with assisting customer."},
               o.Propose(rule, v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE,
                         v1::RESOLVE_IN_DEPARTMENT,
                         "Contract is Active in TIMX SCM: assist the customer "
                         "in Customer Service."));
       }});
  t.push_back(
      {{"cs.resolve.dunning_verify_timx",
        "ServiceBench Dunning pending cancel, TIMX SCM status not known or "
        "neither Active nor Red Flag: verify in TIMX SCM before any transfer "
        "(design reading)",
        kRetentionArticle},
       [](const Outcome& o) {
         const v1::ContractStatus s = o.call().timx_contract_status();
         return DunningInServiceBench(o.call()) && s != v1::ACTIVE &&
                s != v1::RED_FLAG;
       },
       [](const sdk::Rule& rule, Outcome& o) {
         v1::Decision* d = o.Propose(
             rule, v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE,
             v1::RESOLVE_IN_DEPARTMENT,
             "Verify the contract status in TIMX SCM before transferring.");
         sdk::AddStep(rule, kVerifyInTimx, d);
         sdk::AddNote(rule, "If Active, proceed with assisting customer.", d);
         sdk::AddNote(rule, kOnlyRedFlag, d);
       }});
  t.push_back(
      {{"cs.resolve.service_job_refund",
        "Refund or compensation over a Service Job experience: seek your "
        "direct Supervisor's assistance; Retention does not refund or waive "
        "payments",
        kRetentionArticle},
       [](const Outcome& o) {
         return HasReason(o.call(), v1::SERVICE_JOB_REFUND_REQUEST);
       },
       [](const sdk::Rule& rule, Outcome& o) {
         v1::Decision* d = o.Propose(
             rule, v1::RESOLVE_HERE, v1::Decision::DIRECT_SUPERVISOR,
             v1::RESOLVE_IN_DEPARTMENT,
             "Seek assistance from your direct Supervisor; do not transfer to "
             "Retention.");
         sdk::AddStep(rule, "Seek assistance from your direct Supervisor.", d);
         sdk::AddNote(rule,
                      "Retention does NOT process refunds or waive payments "
                      "based on Service Job experience.",
                      d);
       }});

  // ---- CS-3 "Calls That Should be Transferred to Retention" ----
  t.push_back(Retention("cs.retention.cancel",
                        "Customer wants to cancel the contract: transfer to "
                        "Retention",
                        {v1::CANCEL_CONTRACT}));
  t.push_back(Retention("cs.retention.property_address",
                        "Customer wants to update the property address (not "
                        "including the ZIP code): transfer to Retention",
                        {v1::UPDATE_PROPERTY_ADDRESS}));
  t.push_back(Retention("cs.retention.reinstate",
                        "Customer wants to reinstate the contract: transfer to "
                        "Retention",
                        {v1::REINSTATE_CONTRACT}));
  t.push_back(Retention("cs.retention.premium_or_billing",
                        "Payment towards premium or any other billing inquiry: "
                        "transfer to Retention",
                        {v1::PREMIUM_PAYMENT, v1::BILLING_INQUIRY}));
  t.push_back(Retention("cs.retention.new_coverage",
                        "Enrolling into new coverage: transfer to Retention",
                        {v1::ENROLL_NEW_COVERAGE}));
  t.push_back(Retention("cs.retention.add_options",
                        "Adding options and additions within proper time "
                        "frames: transfer to Retention",
                        {v1::ADD_OPTIONS},
                        {"Customer wants to add options and additions within "
                         "proper time frames."}));
  t.push_back(Retention("cs.retention.authorized_user",
                        "Adding another authorized user to the contract: "
                        "transfer to Retention",
                        {v1::ADD_AUTHORIZED_USER}));
  t.push_back(
      {{"cs.retention.dunning_red_flag",
        "ServiceBench Dunning pending cancel, TIMX SCM Red Flag: call "
        "Retention to resolve the payment issue",
        kRetentionArticle},
       [](const Outcome& o) {
         return DunningInServiceBench(o.call()) &&
                o.call().timx_contract_status() == v1::RED_FLAG;
       },
       [](const sdk::Rule& rule, Outcome& o) {
         ToRetention(rule, o);
         v1::Decision* d =
             o.Find(v1::TRANSFER, v1::Decision::RETENTION);
         sdk::AddStep(rule, kVerifyInTimx, d);
         sdk::AddNote(rule, kOnlyRedFlag, d);
       }});
  return t;
}

const std::vector<RouteRule>& RouteRules() {
  static const auto* rules = [] {
    auto* all = new std::vector<RouteRule>(RetentionArticleRules());
    for (std::vector<RouteRule> part :
         {EscalationRules(), AmendingRules(), UncoveredRules()}) {
      for (RouteRule& r : part) all->push_back(std::move(r));
    }
    return all;
  }();
  return *rules;
}

const sdk::Rule& NotatePermissionRule() {
  return sdk::RuleById(RouteRules(), "cs.supervisor_permission.notate");
}

const v1::RecordTypeInfo& FinalCommentsType() {
  static const auto* type = new v1::RecordTypeInfo(sdk::MakeRecordType(
      kFinalComments,
      "The final comments of the Service Request, notating the supervisor's "
      "permission (CS-8)",
      NotatePermissionRule(), v1::TASK_SYSTEM_UNSPECIFIED,
      v1::SERVICE_REQUEST_COMMENT,
      {{"Final comments", "text", "",
        "The supervisor's permission (to enter a Call Back exception or to "
        "contact Tier 2)."}}));
  return *type;
}

const sdk::WeeklyHours& Tier2Hours() {
  static const auto* hours = [] {
    std::vector<sdk::WeeklyHours::Interval> intervals;
    for (absl::Weekday d : {absl::Weekday::monday, absl::Weekday::tuesday,
                            absl::Weekday::wednesday, absl::Weekday::thursday,
                            absl::Weekday::friday}) {
      intervals.push_back({d, 8 * 60, 21 * 60});
    }
    intervals.push_back({absl::Weekday::saturday, 8 * 60, 16 * 60 + 30});
    return new sdk::WeeklyHours(
        *sdk::WeeklyHours::Create(kTier2TimeZone, std::move(intervals)));
  }();
  return *hours;
}

}  // namespace escalation::customer_service
