// "Customer Service Escalations", the situations handled by Tier 2 (CS-5), its
// hours (CS-6) and the Call Back exception when the supervisors are unable to
// assist or Tier 2 is closed (CS-7). The last rows revise the Tier 2 and Call
// Back proposals once they are made: permission refused, Tier 2 closed.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/time.h"
#include "rules.h"

namespace escalation::customer_service {
namespace {

using sdk::HasReason;
using sdk::HasThreat;

sdk::Rule Line(std::string id, std::string title) {
  return {std::move(id), std::move(title), kEscalationsArticle};
}

bool SupervisorApproved(const v1::CallFacts& c) {
  return sdk::FactOf(sdk::PermissionAnswer(c, v1::PERMISSION_TIER2_CONTACT)) ==
         sdk::Known::kTrue;
}
bool SupervisorDeclined(const v1::CallFacts& c) {
  return sdk::FactOf(sdk::PermissionAnswer(c, v1::PERMISSION_TIER2_CONTACT)) ==
         sdk::Known::kFalse;
}
bool Tier2Open(const Call& c) { return c.tier2.IsOpen(Tier2Hours(), c.now); }

Row Tier2Situation(std::string id, std::string title, Row::When when) {
  return {Line(std::move(id), std::move(title)), std::move(when),
          sdk::Outcome()
              .Priority(v1::TIER2_SITUATION)
              .Action(v1::TRANSFER)
              .To(v1::Decision::TIER2)
              .Summary("Tier 2 situation: with a supervisor's permission, contact "
                       "Tier 2."),
          [](const sdk::Rule&, const Call&, v1::Decision* d) {
            d->set_requires_supervisor_approval(true);
          }};
}

void RequireTier2Permission(const sdk::Rule& rule, const Call& c, v1::Decision* d) {
  sdk::RequirePermission(rule, v1::PERMISSION_TIER2_CONTACT, c.call, d);
}

// ---- The proposals made so far, for the revising rows ----
v1::Decision* Tier2Proposal(v1::PluginRouteResponse* r) {
  for (v1::Proposal& p : *r->mutable_proposals()) {
    if (p.decision().destination() == v1::Decision::TIER2) return p.mutable_decision();
  }
  return nullptr;
}
bool Tier2Closed(const Call& c, v1::PluginRouteResponse* r) {
  return Tier2Proposal(r) != nullptr && !Tier2Open(c);
}
// Removes the proposal for (action, destination) and returns its decision.
std::optional<v1::Decision> Withdraw(v1::PluginRouteResponse* r, v1::Action action,
                                     v1::Decision::Destination destination) {
  auto* proposals = r->mutable_proposals();
  for (int i = 0; i < proposals->size(); ++i) {
    const v1::Decision& d = proposals->Get(i).decision();
    if (d.action() == action && d.destination() == destination) {
      v1::Decision out = d;
      proposals->DeleteSubrange(i, 1);
      return out;
    }
  }
  return std::nullopt;
}
// Cites on `to` every rule `from` cites, once: the rules of a withdrawn
// proposal contributed, so they stay cited.
void CiteAll(const v1::Decision& from, v1::Decision* to) {
  for (const v1::MatchedRule& m : from.matched_rules()) {
    bool cited = false;
    for (const v1::MatchedRule& n : to->matched_rules()) {
      cited = cited || n.rule_id() == m.rule_id();
    }
    if (!cited) *to->add_matched_rules() = m;
  }
}
// With no proposal left, the agent keeps the call.
void KeepTheCallIfNothingLeft(const sdk::Rule& rule, std::string summary,
                              v1::PluginRouteResponse* r) {
  if (r->proposals_size() == 0) sdk::ProposeOutcome(rule, KeepTheCall(std::move(summary)), r);
}

constexpr char kTier2NotApproved[] =
    "The supervisor did not give permission to contact Tier 2: do not transfer "
    "the call to Tier 2.";

}  // namespace

bool IsTier2(const Call&, const v1::Decision& d) {
  return d.destination() == v1::Decision::TIER2;
}
bool IsCallBackException(const Call&, const v1::Decision& d) {
  return d.action() == v1::SCHEDULE_CALLBACK;  // Only CS-7 proposes one.
}

// CS-7: the supervisors' permission to enter a Call Back exception.
void CallBackException(const sdk::Rule& rule, const v1::CallFacts& call, v1::Decision* d) {
  d->set_action(v1::SCHEDULE_CALLBACK);
  d->set_transfer_mode(v1::TRANSFER_MODE_UNSPECIFIED);
  sdk::RequirePermission(rule, v1::PERMISSION_CALL_BACK_EXCEPTION, call, d);
  if (sdk::PermissionAnswer(call, v1::PERMISSION_CALL_BACK_EXCEPTION) == true) {
    // Acted on: nothing asks for the permission any more.
    d->set_summary(
        "A supervisor gave permission to enter a Call Back exception: enter it "
        "once the call has ended.");
    sdk::AddNote(rule, "A supervisor gave permission to enter a Call Back exception.", d);
    return;
  }
  // Not known yet (a refusal never comes here: cs.callback_exception.refused).
  sdk::AddStep(rule,
               "If the supervisors are unable to assist, they may give you "
               "permission to enter a CallBack exception.",
               d);
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

Rows Tier2Rows() {
  const sdk::Rule permission = Line(
      "cs.tier2.supervisor_permission",
      "Tier 2 situations: reach out to a Supervisor to advise of the issue and "
      "receive permission to contact Tier 2 (the decision names the permission "
      "and whether the call facts say it was given; once given, no step asks for "
      "it)");
  return {
      // ---- CS-5 Escalated situations handled by Tier 2 ----
      Tier2Situation("cs.tier2.executive_request",
                     "Customer asks to speak to the CEO, President, or Executive: "
                     "Tier 2 with a supervisor's permission",
                     [](const Call& c) { return HasReason(c.call, v1::EXECUTIVE_REQUEST); }),
      Tier2Situation("cs.tier2.above_tier1",
                     "Customer already spoke to a Supervisor and requests someone "
                     "above Tier 1: Tier 2 with a supervisor's permission",
                     [](const Call& c) {
                       return sdk::IsTrue(c.call.has_already_spoke_with_supervisor(),
                                          c.call.already_spoke_with_supervisor()) &&
                              HasReason(c.call, v1::SUPERVISOR_REQUEST);
                     }),
      Tier2Situation("cs.tier2.legal_or_media_threat",
                     "Customer threatens Legal Action or to contact News Media: "
                     "Tier 2 with a supervisor's permission",
                     [](const Call& c) {
                       return HasThreat(c.call, v1::LEGAL_ACTION) ||
                              HasThreat(c.call, v1::NEWS_MEDIA);
                     }),
      Tier2Situation("cs.tier2.review_threat",
                     "Customer threatens a review or negative feedback on Google, "
                     "BBB, Social Media, ConsumerAffairs, Trustpilot or any other "
                     "external platform: Tier 2 with a supervisor's permission",
                     [](const Call& c) {
                       return HasThreat(c.call, v1::BBB_COMPLAINT) ||
                              HasThreat(c.call, v1::SOCIAL_MEDIA) ||
                              HasThreat(c.call, v1::ONLINE_REVIEW);
                     }),
      Tier2Situation("cs.tier2.property_damage",
                     "Property damage with no response from our Service Provider: "
                     "Tier 2 with a supervisor's permission",
                     [](const Call& c) {
                       return HasReason(c.call, v1::PROPERTY_DAMAGE_NO_PROVIDER_RESPONSE);
                     }),
      Tier2Situation("cs.tier2.sos_high_risk",
                     "SOS High Risk Escalation: Tier 2 with a supervisor's permission",
                     [](const Call& c) { return HasReason(c.call, v1::SOS_HIGH_RISK); }),

      // ---- CS-7 Supervisors unable to assist ----
      {Line("cs.callback_exception.supervisors_unable",
            "Supervisors unable to assist: they may give permission to enter a "
            "Call Back exception; once given, it is acted on whatever else the "
            "call says (design reading: the permission given is read as the "
            "supervisors being unable to assist, as the article gives it only "
            "then); refused, see cs.callback_exception.refused"),
       [](const Call& c) {
         return SupervisorsUnable(c.call) && !CallBackExceptionRefused(c.call);
       },
       sdk::Outcome()
           .Priority(v1::LEADERSHIP_DESK_TIER1)
           .Action(v1::SCHEDULE_CALLBACK)
           .To(v1::Decision::DESTINATION_UNSPECIFIED)
           .Summary("Supervisors are unable to assist: with their permission, "
                    "enter a Call Back exception."),
       // Whether the permission is given is the call's.
       [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
         CallBackException(rule, c.call, d);
       }},

      // ---- Revising the Tier 2 proposal ----
      // CS-5 with the permission refused: a reading, see the title.
      Row::Revise(
          Line("cs.tier2.not_approved",
               "Tier 2 situation the supervisor did not approve "
               "(call.supervisor_approved false): no transfer to Tier 2; every "
               "other proposal stands (e.g. the Call Back exception when the "
               "supervisors are unable to assist, CS-7) with a note that Tier 2 "
               "was not approved, or, when there is none, the agent keeps the call "
               "with that note (design reading: the article gives no other "
               "fallback)"),
          [](const Call& c) { return SupervisorDeclined(c.call); },
          [](const sdk::Rule& rule, const Call&, v1::PluginRouteResponse* r) {
            if (Tier2Proposal(r) == nullptr) return false;
            const std::optional<v1::Decision> tier2 =
                Withdraw(r, v1::TRANSFER, v1::Decision::TIER2);
            KeepTheCallIfNothingLeft(
                rule,
                "Tier 2 situation, but the supervisor did not give permission to "
                "contact Tier 2: do not transfer the call to Tier 2.",
                r);
            for (v1::Proposal& p : *r->mutable_proposals()) {
              if (tier2.has_value()) CiteAll(*tier2, p.mutable_decision());
              sdk::AddNote(rule, kTier2NotApproved, p.mutable_decision());
            }
            return true;
          }),
      Row::Amend(permission,
                 [](const Call& c) { return Tier2Open(c) && SupervisorApproved(c.call); },
                 IsTier2,
                 sdk::Outcome()
                     .Summary("Tier 2 situation: a supervisor gave permission to "
                              "contact Tier 2.")
                     .Note("A supervisor gave permission to contact Tier 2."),
                 RequireTier2Permission),
      Row::Amend(permission,
                 [](const Call& c) { return Tier2Open(c) && !SupervisorApproved(c.call); },
                 IsTier2,
                 sdk::Outcome().Step("Reach out to a Supervisor to advise of the issue "
                                     "and receive permission to contact Tier 2."),
                 RequireTier2Permission),
      // CS-6
      Row::Amend(
          Line("cs.tier2.hours",
               "Tier 2 Hours of Operation: Monday-Friday 8:00AM-9:00PM and Saturday "
               "8:00AM-4:30PM EST, closed Sunday (design reading: EST is US Eastern "
               "local time with daylight saving, America/New_York; an interval "
               "includes its start and excludes its end; no holidays)"),
          Always, IsTier2, sdk::Outcome(),
          // Open or closed at the instant of the call.
          [](const sdk::Rule& rule, const Call& c, v1::Decision* d) {
            const sdk::WeeklyHours& hours = Tier2Hours();
            v1::DestinationHours* h = d->mutable_destination_hours();
            h->set_destination(v1::Decision::TIER2);
            h->set_open_now(Tier2Open(c));
            h->set_time_zone(kTier2TimeZone);
            h->set_schedule(kTier2Schedule);
            h->set_rule_id(rule.id);
            if (h->open_now()) return;
            const absl::Time next = hours.NextOpening(c.now);
            *h->mutable_next_opening() = sdk::ToProto(next);
            sdk::AddNote(rule,
                         absl::StrCat("Tier 2 is closed; it next opens ",
                                      absl::FormatTime("%A %Y-%m-%d %H:%M %Z", next,
                                                       hours.zone()),
                                      "."),
                         d);
          }),
      Row::Revise(
          Line("cs.callback_exception.refused",
               "The supervisor refused the permission to enter a Call Back exception "
               "(the supervisors unable to assist, or Tier 2 closed): no Call Back "
               "exception is proposed, stepped or recorded, and while Tier 2 is "
               "closed no Tier 2 transfer either (its hours and next opening stay in "
               "the answer); every other proposal stands with a note that the "
               "permission was refused, or, when there is none, the agent keeps the "
               "call (design reading: the article gives the Call Back exception only "
               "with the supervisors' permission and no other path)"),
          [](const Call& c) { return CallBackExceptionRefused(c.call); },
          [](const sdk::Rule& rule, const Call& c, v1::PluginRouteResponse* r) {
            const bool tier2_closed = Tier2Closed(c, r);
            if (!SupervisorsUnable(c.call) && !tier2_closed) return false;
            const std::optional<v1::Decision> tier2 =
                tier2_closed ? Withdraw(r, v1::TRANSFER, v1::Decision::TIER2)
                             : std::nullopt;
            KeepTheCallIfNothingLeft(
                rule,
                tier2_closed
                    ? "Tier 2 is closed, and the supervisor did not give permission "
                      "to enter a Call Back exception: do not enter one; keep the "
                      "call."
                    : "The supervisors are unable to assist and did not give "
                      "permission to enter a Call Back exception: do not enter one; "
                      "keep the call.",
                r);
            for (v1::Proposal& p : *r->mutable_proposals()) {
              v1::Decision* d = p.mutable_decision();
              if (tier2.has_value()) {
                // The Tier 2 situation and its hours stay cited and said.
                CiteAll(*tier2, d);
                if (!d->has_destination_hours()) {
                  *d->mutable_destination_hours() = tier2->destination_hours();
                }
                for (const std::string& n : tier2->notes()) d->add_notes(n);
              }
              sdk::AddNote(rule,
                           "The supervisor did not give permission to enter a Call "
                           "Back exception: do not enter one.",
                           d);
            }
            return true;
          }),
      Row::Revise(
          Line("cs.callback_exception.tier2_closed",
               "Tier 2 closed: the article's alternative is a Call Back exception "
               "with a supervisor's permission, no other fallback; the agent still "
               "reaches out to a Supervisor to advise of the issue and receive "
               "permission, here to enter the Call Back exception, until it is "
               "given or refused; CS-7's own proposal, when also made, is folded "
               "into it (design reading); refused, see "
               "cs.callback_exception.refused"),
          [](const Call& c) { return !CallBackExceptionRefused(c.call); },
          [](const sdk::Rule& rule, const Call& c, v1::PluginRouteResponse* r) {
            if (!Tier2Closed(c, r)) return false;
            // One Call Back exception: CS-7's own proposal, when the supervisors
            // were unable to assist, is this one.
            const std::optional<v1::Decision> cs7 =
                Withdraw(r, v1::SCHEDULE_CALLBACK, v1::Decision::DESTINATION_UNSPECIFIED);
            v1::Decision* d = Tier2Proposal(r);
            if (cs7.has_value()) CiteAll(*cs7, d);
            d->set_summary(
                "Tier 2 is closed: with a supervisor's permission, enter a Call Back "
                "exception.");
            if (!sdk::PermissionAnswer(c.call, v1::PERMISSION_CALL_BACK_EXCEPTION)
                     .has_value()) {
              sdk::AddStep(rule,
                           "Reach out to a Supervisor to advise of the issue and "
                           "receive permission to enter a CallBack exception.",
                           d);
            }
            CallBackException(rule, c.call, d);
            return true;
          }),
  };
}

}  // namespace escalation::customer_service
