// Rules that amend the proposals of the situation table (escalation_rules.cc)
// once they are made: CS-1 (the recording disclosure on every transfer out),
// CS-6 (Tier 2 hours), CS-8 (notate the permission), CS-9 (the refusal
// scripts) and the Tier 1 supervisor steps.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rule_kinds.h"

namespace escalation::customer_service {
namespace {

using sdk::HasReason;
using sdk::HasThreat;

constexpr char kRefusalConcern[] =
    "[customer name] I understand your concern and would like to get some "
    "information and understand your situation before I contact a "
    "supervisor.";
constexpr char kRefusalAccess[] =
    "[customer name] IF you allow me the opportunity to access your service "
    "job, THEN I can review the status AND see if I can answer questions OR "
    "advise my supervisor of the situation.";

// Applies `fn` to every proposal `pick` selects; Any() says if there is one.
template <typename Pick, typename Fn>
void ForEach(Outcome& o, Pick pick, Fn fn) {
  for (v1::Decision* d : o.Decisions()) {
    if (pick(*d)) fn(d);
  }
}
template <typename Pick>
bool Any(const Outcome& o, Pick pick) {
  for (v1::Decision* d : o.Decisions()) {
    if (pick(*d)) return true;
  }
  return false;
}

bool IsTier2OrCallBack(const v1::Decision& d) {
  return d.destination() == v1::Decision::TIER2 || HasCallBackException(d);
}
// CS-1 design reading: a transfer out of CS to another department
// (Retention, Tier 2, the Leadership Desk: each is its own destination,
// docs/architecture.md, The parts).
bool IsTransferOut(const v1::Decision& d) {
  return d.action() == v1::TRANSFER &&
         (d.destination() == v1::Decision::RETENTION ||
          d.destination() == v1::Decision::TIER2 ||
          d.destination() == v1::Decision::LEADERSHIP_DESK);
}
bool IsCallBackException(const v1::Decision& d) {
  return d.action() == v1::SCHEDULE_CALLBACK;  // Only CS-7 proposes one.
}
bool NotToRetention(const v1::Decision& d) {
  return d.destination() != v1::Decision::RETENTION;
}

constexpr char kTier2NotApproved[] =
    "The supervisor did not give permission to contact Tier 2: do not "
    "transfer the call to Tier 2.";

// Cites on `to` every rule `from` cites, once.
void CiteAll(const v1::Decision& from, v1::Decision* to) {
  for (const v1::MatchedRule& m : from.matched_rules()) {
    bool cited = false;
    for (const v1::MatchedRule& n : to->matched_rules()) {
      cited = cited || n.rule_id() == m.rule_id();
    }
    if (!cited) *to->add_matched_rules() = m;
  }
}

}  // namespace

std::vector<RouteRule> AmendingRules() {
  std::vector<RouteRule> t;
  // CS-5 with call.supervisor_approved false: a reading, see the title.
  t.push_back(
      {{"cs.tier2.not_approved",
        "Tier 2 situation the supervisor did not approve "
        "(call.supervisor_approved false): no transfer to Tier 2; every other "
        "proposal stands (e.g. the Call Back exception when the supervisors "
        "are unable to assist, CS-7) with a note that Tier 2 was not "
        "approved, or, when there is none, the agent keeps the call with that "
        "note (design reading: the article gives no other fallback)",
        kEscalationsArticle},
       [](const Outcome& o) {
         return Tier2Decision(o) != nullptr && SupervisorDeclined(o.call());
       },
       [](const sdk::Rule& rule, Outcome& o) {
         const std::optional<v1::Decision> tier2 =
             o.Withdraw(v1::TRANSFER, v1::Decision::TIER2);
         Outcome::DecisionList rest = o.Decisions();
         if (rest.empty()) {
           rest.push_back(o.Propose(
               rule, v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE,
               v1::RESOLVE_IN_DEPARTMENT,
               "Tier 2 situation, but the supervisor did not give permission "
               "to contact Tier 2: do not transfer the call to Tier 2."));
         }
         for (v1::Decision* d : rest) {
           // The Tier 2 situation rules contributed: they stay cited.
           if (tier2.has_value()) CiteAll(*tier2, d);
           sdk::AddNote(rule, kTier2NotApproved, d);
         }
       }});
  t.push_back(
      {{"cs.tier2.supervisor_permission",
        "Tier 2 situations: reach out to a Supervisor to advise of the issue "
        "and receive permission to contact Tier 2 (the decision names the "
        "permission and whether the call facts say it was given; once given, "
        "no step asks for it)",
        kEscalationsArticle},
       [](const Outcome& o) {
         return Tier2Decision(o) != nullptr && !Tier2Closed(o);
       },
       [](const sdk::Rule& rule, Outcome& o) {
         v1::Decision* d = Tier2Decision(o);
         sdk::RequirePermission(rule, v1::PERMISSION_TIER2_CONTACT, o.call(), d);
         if (SupervisorApproved(o.call())) {
           d->set_summary(
               "Tier 2 situation: a supervisor gave permission to contact "
               "Tier 2.");
           sdk::AddNote(rule, "A supervisor gave permission to contact Tier 2.",
                        d);
           return;
         }
         sdk::AddStep(rule,
                      "Reach out to a Supervisor to advise of the issue and "
                      "receive permission to contact Tier 2.",
                      d);
       }});
  // CS-6
  t.push_back(
      {{"cs.tier2.hours",
        "Tier 2 Hours of Operation: Monday-Friday 8:00AM-9:00PM and Saturday "
        "8:00AM-4:30PM EST, closed Sunday (design reading: EST is US Eastern "
        "local time with daylight saving, America/New_York; an interval "
        "includes its start and excludes its end; no holidays)",
        kEscalationsArticle},
       [](const Outcome& o) { return Tier2Decision(o) != nullptr; },
       [](const sdk::Rule& rule, Outcome& o) {
         v1::Decision* d = Tier2Decision(o);
         const sdk::WeeklyHours& hours = Tier2Hours();
         v1::DestinationHours* h = d->mutable_destination_hours();
         h->set_destination(v1::Decision::TIER2);
         h->set_open_now(hours.IsOpen(o.now()));
         h->set_time_zone(kTier2TimeZone);
         h->set_schedule(kTier2Schedule);
         h->set_rule_id(rule.id);
         sdk::Cite(rule, d);
         if (h->open_now()) return;
         const absl::Time next = hours.NextOpening(o.now());
         *h->mutable_next_opening() = sdk::ToProto(next);
         sdk::AddNote(rule,
                      absl::StrCat("Tier 2 is closed; it next opens ",
                                   absl::FormatTime("%A %Y-%m-%d %H:%M %Z",
                                                    next, hours.zone()),
                                   "."),
                      d);
       }});
  t.push_back(
      {{"cs.callback_exception.refused",
        "The supervisor refused the permission to enter a Call Back exception "
        "(the supervisors unable to assist, or Tier 2 closed): no Call Back "
        "exception is proposed, stepped or recorded, and while Tier 2 is "
        "closed no Tier 2 transfer either (its hours and next opening stay in "
        "the answer); every other proposal stands with a note that the "
        "permission was refused, or, when there is none, the agent keeps the "
        "call (design reading: the article gives the Call Back exception only "
        "with the supervisors' permission and no other path)",
        kEscalationsArticle},
       [](const Outcome& o) {
         return CallBackExceptionRefused(o.call()) &&
                (SupervisorsUnable(o.call()) || Tier2Closed(o));
       },
       [](const sdk::Rule& rule, Outcome& o) {
         const bool tier2_closed = Tier2Closed(o);
         const std::optional<v1::Decision> tier2 =
             tier2_closed ? o.Withdraw(v1::TRANSFER, v1::Decision::TIER2)
                          : std::nullopt;
         Outcome::DecisionList rest = o.Decisions();
         if (rest.empty()) {
           rest.push_back(o.Propose(
               rule, v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE,
               v1::RESOLVE_IN_DEPARTMENT,
               tier2_closed
                   ? "Tier 2 is closed, and the supervisor did not give "
                     "permission to enter a Call Back exception: do not enter "
                     "one; keep the call."
                   : "The supervisors are unable to assist and did not give "
                     "permission to enter a Call Back exception: do not enter "
                     "one; keep the call."));
         }
         for (v1::Decision* d : rest) {
           if (tier2.has_value()) {
             // The Tier 2 situation and its hours stay cited and said.
             CiteAll(*tier2, d);
             if (!d->has_destination_hours()) {
               *d->mutable_destination_hours() = tier2->destination_hours();
             }
             for (const std::string& n : tier2->notes()) d->add_notes(n);
           }
           sdk::AddNote(rule,
                        "The supervisor did not give permission to enter a "
                        "Call Back exception: do not enter one.",
                        d);
         }
       }});
  t.push_back(
      {{"cs.callback_exception.tier2_closed",
        "Tier 2 closed: the article's alternative is a Call Back exception "
        "with a supervisor's permission, no other fallback; the agent still "
        "reaches out to a Supervisor to advise of the issue and receive "
        "permission, here to enter the Call Back exception, until it is given "
        "or refused; CS-7's own proposal, when also made, is folded into it "
        "(design reading); refused, see cs.callback_exception.refused",
        kEscalationsArticle},
       [](const Outcome& o) {
         return Tier2Closed(o) && !CallBackExceptionRefused(o.call());
       },
       [](const sdk::Rule& rule, Outcome& o) {
         // One Call Back exception: CS-7's own proposal, when the supervisors
         // were unable to assist, is this one.
         const std::optional<v1::Decision> cs7 = o.Withdraw(
             v1::SCHEDULE_CALLBACK, v1::Decision::DESTINATION_UNSPECIFIED);
         v1::Decision* d = Tier2Decision(o);
         if (cs7.has_value()) CiteAll(*cs7, d);
         d->set_summary(
             "Tier 2 is closed: with a supervisor's permission, enter a Call "
             "Back exception.");
         if (!sdk::PermissionAnswer(o.call(), v1::PERMISSION_CALL_BACK_EXCEPTION)
                  .has_value()) {
           sdk::AddStep(rule,
                        "Reach out to a Supervisor to advise of the issue and "
                        "receive permission to enter a CallBack exception.",
                        d);
         }
         CallBackException(rule, o.call(), d);
       }});
  t.push_back(
      {{"cs.callback_exception.servicebench_fields",
        "The Call Back exception is entered as the Leadership Desk article "
        "says: once the call has ended, Exceptions tab in ServiceBench, "
        "Exception Type \"Call Back\", Exception Status \"Open\", comment "
        "from the approved Exception Comments (design reading: \"Customer "
        "Service Escalations\" does not say how, so CS-7 borrows LD-5; the "
        "comment offers those configured for the call's reasons, all of them "
        "when none of its reasons has any)",
        kLeadershipDeskArticle},
       [](const Outcome& o) { return Any(o, IsCallBackException); },
       [](const sdk::Rule& rule, Outcome& o) {
         ForEach(o, IsCallBackException, [&](v1::Decision* d) {
           ServiceBenchCallBackException(rule, d);
         });
       }});
  t.push_back(
      {{"cs.resolve.supervisor_request_not_retention",
        "Supervisor request regarding a Service Job: adhere to the Escalation "
        "Protocols, never transfer to Retention",
        kRetentionArticle},
       [](const Outcome& o) {
         return HasReason(o.call(), v1::SUPERVISOR_REQUEST) &&
                True(o.call().has_concerns_service_job(),
                     o.call().concerns_service_job());
       },
       [](const sdk::Rule& rule, Outcome& o) {
         ForEach(o, NotToRetention, [&](v1::Decision* d) {
           sdk::AddNote(rule, "Adhere to the Escalation Protocols.", d);
           sdk::AddNote(rule,
                        "Supervisor requests should NOT be transferred to "
                        "Retention.",
                        d);
         });
       }});
  // CS-8
  t.push_back(
      {{"cs.supervisor_permission.notate",
        "The supervisor's permission (Call Back exception or Tier 2) is "
        "notated in the final comments of the Service Request (design "
        "reading of the check on SERVICE_REQUEST_COMMENT tasks: free text "
        "cannot prove the notation, so empty comments are an error and "
        "comments that never mention a supervisor a warning)",
        kEscalationsArticle},
       [](const Outcome& o) { return Any(o, IsTier2OrCallBack); },
       [](const sdk::Rule& rule, Outcome& o) {
         ForEach(o, IsTier2OrCallBack, [&](v1::Decision* d) {
           sdk::AddStep(rule,
                        "You must notate this information in your final "
                        "comments in the Service Request.",
                        d);
           sdk::AddRecord(rule, FinalCommentsType(),
                          "in the final comments of the Service Request", d);
         });
       }});
  // CS-1
  t.push_back(
      {{"cs.transfer.recording_disclosure",
        "Every transfer out of Customer Service to another department "
        "(Retention, Tier 2, the Leadership Desk's live transfer) includes the "
        "recording disclosure VERBATIM (design reading: \"all transfers\" read "
        "as every transfer to another department)",
        kRetentionArticle},
       [](const Outcome& o) { return Any(o, IsTransferOut); },
       [](const sdk::Rule& rule, Outcome& o) {
         ForEach(o, IsTransferOut, [&](v1::Decision* d) {
           sdk::AddScript(rule, "recording_disclosure", kRecordingDisclosure,
                          d);
         });
       }});
  // CS-9
  t.push_back(
      {{"cs.refusal.scripts",
        "Customer refuses to give information: the suggested scripts, with "
        "the customer's name",
        kEscalationsArticle},
       [](const Outcome& o) {
         return True(o.call().has_customer_refuses_information(),
                     o.call().customer_refuses_information());
       },
       [](const sdk::Rule& rule, Outcome& o) {
         v1::Decision* d = o.Propose(
             rule, v1::RESOLVE_HERE, v1::Decision::CUSTOMER_SERVICE,
             v1::RESOLVE_IN_DEPARTMENT,
             "Customer refuses to give information: use the suggested "
             "scripts before contacting a supervisor.");
         const std::string& name = o.call().customer_name();
         sdk::AddScript(rule, "refusal_concern",
                        sdk::FillCustomerName(kRefusalConcern, name), d);
         sdk::AddScript(rule, "refusal_access",
                        sdk::FillCustomerName(kRefusalAccess, name), d);
       }});
  return t;
}

}  // namespace escalation::customer_service
