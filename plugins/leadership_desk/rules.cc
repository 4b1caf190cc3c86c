#include "rules.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"

namespace escalation::leadership_desk {
namespace {

constexpr char kOfferScript[] =
    "Thank you for holding. I apologize but my supervisor is currently "
    "unavailable. I do have their schedule in front of me and would like to "
    "schedule a call back for them to follow up with you. Is there a specific "
    "day or time that you would like to receive this call?";
constexpr char kConfirmationScript[] =
    "Great! I have successfully scheduled an appointment for you to speak with "
    "a Customer Advocacy Supervisor. The appointment is scheduled for <Date> "
    "between <Appointment Timeframe>. A confirmation email will be sent to the "
    "email address on file.\n"
    "You will be contacted within 5 minutes of your appointment window. If you "
    "miss the initial call the supervisor will try calling again within 15 "
    "minutes. If you're still unable to answer, a voicemail will be left and "
    "an email will be sent so that you can reschedule the appointment.";
constexpr char kPromise[] =
    "You will be contacted within 5 minutes of your appointment window. If you "
    "miss the initial call the supervisor will try calling again within 15 "
    "minutes.";
constexpr char kIfUnreachable[] =
    "If you're still unable to answer, a voicemail will be left and an email "
    "will be sent so that you can reschedule the appointment.";

// LD-1 and LD-3's steps that name the site's skill and booking link, when
// the call names no site.
constexpr absl::string_view kSearchAnySite =
    "Search for your site specific Leadership Desk skill.";
constexpr absl::string_view kBookingAnySite =
    "Go to the site specific booking link your supervisor gave you.";

bool OnCallBackPath(const Admission& a) { return QueueOverThreeMinutes(a.call); }
bool OnLiveTransferPath(const Admission& a) { return !OnCallBackPath(a); }
// LD-3: "Once permission is given, ... offer to schedule the Call Back": a
// refusal ends the call back path.
bool CallBackRefused(const Admission& a) {
  return OnCallBackPath(a) &&
         sdk::PermissionAnswer(
             a.call, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST) == false;
}
bool CallBackOffered(const Admission& a) {
  return OnCallBackPath(a) && !CallBackRefused(a);
}

// What the call does not say about the site: the values that stay unnamed.
void NoteSiteNotKnown(const sdk::Rule& rule, const Admission& a,
                      absl::string_view value, absl::string_view then) {
  sdk::NoteNotKnown(
      rule, absl::StrCat("call.site, so ", value, " cannot be named"),
      absl::StrCat("call.site names your site (configured: ",
                   a.config.SiteNames(), ")"),
      then, a.decision);
}

// LD-4: due instants count from the start of the booked window
// (call.callback_appointment). Before a window is booked the promise carries
// its durations only: nothing in the article counts from the moment of the
// call. The retry is promised within 15 minutes of a missed initial call, so
// it is due 15 minutes after the first contact is due (design readings, in
// the rule's title).
void Promise(const sdk::Rule& rule, const Admission& a) {
  v1::CallbackPromise* p = a.decision->mutable_callback();
  p->set_rule_id(rule.id);
  p->set_summary(kPromise);
  p->set_if_unreachable(kIfUnreachable);
  *p->mutable_first_contact_within() = sdk::ToProto(absl::Minutes(5));
  *p->mutable_retry_within() = sdk::ToProto(absl::Minutes(15));
  sdk::Cite(rule, a.decision);
  if (!a.call.has_callback_appointment()) return;
  const absl::Time anchor = sdk::FromProto(a.call.callback_appointment());
  const absl::Time first_contact_due = anchor + absl::Minutes(5);
  *p->mutable_anchor() = sdk::ToProto(anchor);
  *p->mutable_first_contact_due() = sdk::ToProto(first_contact_due);
  *p->mutable_retry_due() =
      sdk::ToProto(first_contact_due + absl::Minutes(15));
}

// CS-1's recording disclosure goes with a transfer out of Customer Service;
// the call back path transfers nothing, so it is not read (design reading).
constexpr char kDisclosureScript[] = "recording_disclosure";
constexpr char kDisclosureRule[] = "cs.transfer.recording_disclosure";

void DropTransferDisclosure(v1::Decision* d) {
  auto* scripts = d->mutable_scripts();
  scripts->erase(std::remove_if(scripts->begin(), scripts->end(),
                                [](const v1::Script& s) {
                                  return s.id() == kDisclosureScript;
                                }),
                 scripts->end());
  auto* rules = d->mutable_matched_rules();
  rules->erase(std::remove_if(rules->begin(), rules->end(),
                              [](const v1::MatchedRule& m) {
                                return m.rule_id() == kDisclosureRule;
                              }),
               rules->end());
}

std::vector<AdmitRule> BuildRules() {
  std::vector<AdmitRule> t;
  // ---- LD-1 Live Transfer ----
  t.push_back(
      {{"ld.live_transfer.steps",
        "Live Transfer to the Leadership Desk: the article's steps in order, "
        "with the site specific Leadership Desk skill",
        kArticle},
       OnLiveTransferPath,
       [](const sdk::Rule& rule, Admission& a) {
         a.decision->set_transfer_mode(v1::LIVE);
         sdk::AddSteps(
             rule,
             {"While on the active call, place the caller on hold.",
              "Click the Consult/Transfer icon.",
              a.site == nullptr ? kSearchAnySite : a.site->search_step,
              "Click the Call icon in the skill you are calling.",
              "Once Leadership Agent answers, advise of escalation reasons "
              "and provide customers information.",
              "Click Conference to bring customer on the line.",
              "Once everyone is joined, click Leave to leave the call."},
             a.decision);
         if (a.site == nullptr) {
           NoteSiteNotKnown(rule, a,
                            "the site specific Leadership Desk skill",
                            "the steps name it");
         }
         if (!a.call.has_live_transfer_queue_wait()) {
           sdk::NoteNotKnown(
               rule, "call.live_transfer_queue_wait",
               "you wait in the Live Transfer Queue for over 3 minutes",
               "leave the queue and, with your direct supervisor's "
               "permission, schedule a Call Back with a supervisor instead "
               "(ld.queue.over_3_minutes; ask again with the wait set)",
               a.decision);
         }
       }});
  // ---- LD-2 ----
  t.push_back(
      {{"ld.live_transfer.job_note",
        "Once the transfer is complete, notate the job with the details of the "
        "interaction and the name of the agent that took over the call "
        "(design reading: a job note records a Leadership Desk live transfer "
        "when it names who took over or sets "
        "fields.leadership_desk_transfer; other job notes are not checked)",
        kArticle},
       OnLiveTransferPath,
       [](const sdk::Rule& rule, Admission& a) {
         sdk::AddStep(rule,
                      "Once transfer is complete, notate the job including "
                      "details of the interaction and advise name of agent "
                      "that took over call.",
                      a.decision);
         sdk::AddRecord(rule, *a.types.live_transfer_job_note,
                        "once the transfer is complete", a.decision);
       }});
  // ---- LD-3 Call Back ----
  t.push_back(
      {{"ld.queue.over_3_minutes",
        "Over 3 minutes (more than 180 s) in the Live Transfer Queue: leave "
        "the queue and ask the direct supervisor's permission for a Call Back "
        "Request (design reading: no transfer takes place, so the transfer's "
        "recording disclosure is not read)",
        kArticle},
       CallBackOffered,
       [](const sdk::Rule& rule, Admission& a) {
         v1::Decision* d = a.decision;
         d->set_action(v1::SCHEDULE_CALLBACK);
         d->set_transfer_mode(v1::TRANSFER_MODE_UNSPECIFIED);
         sdk::RequirePermission(
             rule, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST, a.call, d);
         DropTransferDisclosure(d);
         d->set_summary(
             "Over 3 minutes in the Live Transfer Queue: with your direct "
             "supervisor's permission, schedule a Call Back with a "
             "supervisor.");
         sdk::AddSteps(rule,
               {"Leave the queue and reach out to your direct supervisor for "
                "permission to create a Call Back Request.",
                "Once permission is given, return to the customer and offer to "
                "schedule the Call Back with a supervisor."},
               d);
         if (sdk::PermissionAnswer(
                 a.call, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST) ==
             true) {
           sdk::AddNote(rule,
                        "Your direct supervisor gave permission to create a "
                        "Call Back Request.",
                        d);
         }
       }});
  t.push_back(
      {{"ld.queue.callback_refused",
        "Over 3 minutes in the Live Transfer Queue and the direct supervisor "
        "refused the Call Back Request: no Call Back is offered, booked or "
        "recorded and nothing is promised; the agent keeps the call "
        "(design reading: the article offers the Call Back only \"once "
        "permission is given\" and gives no other path)",
        kArticle},
       CallBackRefused,
       [](const sdk::Rule& rule, Admission& a) {
         v1::Decision* d = a.decision;
         d->set_action(v1::RESOLVE_HERE);
         d->set_destination(v1::Decision::CUSTOMER_SERVICE);
         d->set_transfer_mode(v1::TRANSFER_MODE_UNSPECIFIED);
         DropTransferDisclosure(d);
         sdk::Cite(rule, d);
         d->set_summary(
             "Over 3 minutes in the Live Transfer Queue, and your direct "
             "supervisor did not give permission to create a Call Back "
             "Request: do not offer or schedule a Call Back; keep the call.");
         sdk::AddNote(rule,
                      "The Leadership Desk article gives no other path when "
                      "the Call Back Request is not permitted.",
                      d);
       }});
  t.push_back({{"ld.callback.offer_script",
                "Offer the Call Back with a supervisor: the article's script "
                "(design reading: a step says to read it once permission is "
                "given)",
                kArticle},
               CallBackOffered,
               [](const sdk::Rule& rule, Admission& a) {
                 sdk::AddScript(rule, "callback_offer", kOfferScript,
                                a.decision);
                 sdk::AddStep(rule, "Read the callback offer script.",
                              a.decision);
               }});
  t.push_back(
      {{"ld.callback.booking",
        "Book through the site specific booking link: date, then time; if the "
        "customer's choice is not available, advise of dates/times that are",
        kArticle},
       CallBackOffered,
       [](const sdk::Rule& rule, Admission& a) {
         sdk::AddSteps(rule,
               {a.site == nullptr ? kBookingAnySite : a.site->booking_step,
                "Click the date box to select date the customer chooses.",
                "If not available, advise of dates that are.",
                "Click the time box to select the time the customer chooses.",
                "If not available, advise of times that are.",
                "Click Book Appointment"},
               a.decision);
         sdk::AddNote(rule,
                      "The confirmation pop up will display and customer will "
                      "receive a confirmation email with the appointment "
                      "details. Appointment will also be booked in the "
                      "Leadership Desk outlook calendar.",
                      a.decision);
         if (a.site == nullptr) {
           NoteSiteNotKnown(rule, a, "the site specific booking link",
                            "the booking step names it");
         }
       }});
  // ---- LD-4 ----
  t.push_back({{"ld.callback.confirmation_script",
                "Confirm the appointment with a Customer Advocacy Supervisor: "
                "the article's script (design reading: a step says to read it "
                "after Book Appointment)",
                kArticle},
               CallBackOffered,
               [](const sdk::Rule& rule, Admission& a) {
                 sdk::AddScript(rule, "callback_confirmation",
                                kConfirmationScript, a.decision);
                 sdk::AddStep(rule, "Read the confirmation script.",
                              a.decision);
               }});
  t.push_back(
      {{"ld.callback.promise",
        "Callback promise: contact within 5 minutes of the appointment window, "
        "retry within 15 minutes, then voicemail and email to reschedule "
        "(design reading: due instants count from the booked window's start, "
        "call.callback_appointment; before a window is booked the promise "
        "carries its durations only, no due instant; the retry is due 15 "
        "minutes after the first contact is due)",
        kArticle},
       CallBackOffered,
       [](const sdk::Rule& rule, Admission& a) { Promise(rule, a); }});
  // ---- LD-5 ----
  t.push_back(
      {{"ld.callback.exception",
        "Call Back Exception in ServiceBench: Exception Type \"Call Back\", "
        "Exception Status \"Open\", comment from the approved Exception "
        "Comments, the site-provided list in the configuration (design "
        "reading of \"based on the reason\": the record offers the comments "
        "configured for the call's reasons, all of them when none of its "
        "reasons has any)",
        kArticle},
       CallBackOffered,
       [](const sdk::Rule& rule, Admission& a) {
         sdk::AddSteps(rule,
               {"Once call has ended, create the Call Back Exception in "
                "ServiceBench.",
                "Click the Exceptions tab in ServiceBench.",
                "Under Exception Type, select Call Back.",
                "Under Exception Status, select Open.",
                "Enter the appropriate comment based on the reason using the "
                "approved Exception Comments."},
               a.decision);
         v1::RequiredRecord* record = sdk::AddRecord(
             rule, *a.types.callback_exception, "once the call has ended",
             a.decision);
         // "based on the reason": the comments configured for the call's
         // reasons (all of them when none of its reasons has any).
         v1::RecordField* comment = record->mutable_fields(kCallBackExceptionCommentField);
         comment->clear_allowed_values();
         for (std::string& c :
              a.config.approved_exception_comments.ForCall(a.call)) {
           comment->add_allowed_values(std::move(c));
         }
       }});
  t.push_back({{"ld.callback.exception_after_call",
                "The Call Back Exception is created once the call has ended",
                kArticle},
               nullptr, nullptr});  // Checked on tasks only.
  // ---- LD-6 ----
  t.push_back(
      {{"ld.callback.job_note",
        "Notate the job with the details of the interaction and the scheduled "
        "date/time of the call back",
        kArticle},
       CallBackOffered,
       [](const sdk::Rule& rule, Admission& a) {
         sdk::AddStep(rule,
                      "Be sure to notate the job including details of the "
                      "interaction and scheduled date/time of the call back.",
                      a.decision);
         sdk::AddRecord(rule, *a.types.callback_job_note,
                        "once the call back is scheduled", a.decision);
       }});
  return t;
}

const sdk::Rule& ById(absl::string_view id) { return sdk::RuleById(AdmitRules(), id); }

}  // namespace

void PrepareSiteSteps(Config* config) {
  for (auto& [name, site] : config->sites) {
    site.search_step = absl::StrCat(
        "Search for your site specific Leadership Desk skill: ",
        site.leadership_desk_skill, ".");
    site.booking_step =
        absl::StrCat("Go to site specific booking link: ", site.booking_link);
  }
}

bool QueueOverThreeMinutes(const v1::CallFacts& call) {
  return call.has_live_transfer_queue_wait() &&
         sdk::FromProto(call.live_transfer_queue_wait()) > absl::Minutes(3);
}

const std::vector<AdmitRule>& AdmitRules() {
  static const auto* rules = new std::vector<AdmitRule>(BuildRules());
  return *rules;
}

const sdk::Rule& LiveTransferJobNoteRule() { return ById("ld.live_transfer.job_note"); }
const sdk::Rule& CallBackExceptionRule() { return ById("ld.callback.exception"); }
const sdk::Rule& ExceptionAfterCallRule() {
  return ById("ld.callback.exception_after_call");
}
const sdk::Rule& CallBackJobNoteRule() { return ById("ld.callback.job_note"); }

}  // namespace escalation::leadership_desk
