// The admission rules of the article "Leadership Desk" (LD-1 … LD-6) as an
// admit table (escalation/sdk/rule_table.h): each row a declared rule of
// rules.h, the article's condition, the amendment it makes as data, and what
// depends on the call (the site's skill and booking link, unknown facts, the
// permission, the booked window, the call's reasons).
#include <string>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rules.h"

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

// LD-1 and LD-3's steps that name the site's skill and booking link (slots),
// when the call names no site.
constexpr char kSiteSearch[] = "site_search";
constexpr char kSiteBooking[] = "site_booking";
constexpr absl::string_view kSearchAnySite =
    "Search for your site specific Leadership Desk skill.";
constexpr absl::string_view kBookingAnySite =
    "Go to the site specific booking link your supervisor gave you.";

std::string SiteStep(absl::string_view slot, const Admission& a) {
  if (slot == kSiteSearch) {
    return std::string(a.site == nullptr ? kSearchAnySite : a.site->search_step);
  }
  return std::string(a.site == nullptr ? kBookingAnySite : a.site->booking_step);
}

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
                      absl::string_view value, absl::string_view then,
                      v1::Decision* d) {
  if (a.site != nullptr) return;
  sdk::NoteNotKnown(
      rule, absl::StrCat("call.site, so ", value, " cannot be named"),
      absl::StrCat("call.site names your site (configured: ",
                   a.config.SiteNames(), ")"),
      then, d);
}

// LD-4: due instants count from the start of the booked window
// (call.callback_appointment). Before a window is booked the promise carries
// its durations only: nothing in the article counts from the moment of the
// call. The retry is promised within 15 minutes of a missed initial call, so
// it is due 15 minutes after the first contact is due (design readings, in
// the rule's title).
void Promise(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  v1::CallbackPromise* p = d->mutable_callback();
  p->set_rule_id(rule.id);
  p->set_summary(kPromise);
  p->set_if_unreachable(kIfUnreachable);
  *p->mutable_first_contact_within() = sdk::ToProto(absl::Minutes(5));
  *p->mutable_retry_within() = sdk::ToProto(absl::Minutes(15));
  if (!a.call.has_callback_appointment()) return;
  const absl::Time anchor = sdk::FromProto(a.call.callback_appointment());
  const absl::Time first_contact_due = anchor + absl::Minutes(5);
  *p->mutable_anchor() = sdk::ToProto(anchor);
  *p->mutable_first_contact_due() = sdk::ToProto(first_contact_due);
  *p->mutable_retry_due() = sdk::ToProto(first_contact_due + absl::Minutes(15));
}

// LD-5 "based on the reason": the record offers the comments configured for
// the call's reasons (all of them when none of its reasons has any).
void RequireException(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  v1::RequiredRecord* record =
      sdk::AddRecord(rule, *a.types.callback_exception, "once the call has ended", d);
  v1::RecordField* comment = record->mutable_fields(kCallBackExceptionCommentField);
  comment->clear_allowed_values();
  for (std::string& c : a.config.approved_exception_comments.ForCall(a.call)) {
    comment->add_allowed_values(std::move(c));
  }
}

}  // namespace

sdk::AdmitTable<Admission> AdmitRules() {
  sdk::AdmitTable<Admission> table({
      // ---- LD-1 Live Transfer ----
      {kLiveTransferSteps, OnLiveTransferPath,
       sdk::Outcome()
           .Mode(v1::LIVE)
           .Steps({"While on the active call, place the caller on hold.",
                   "Click the Consult/Transfer icon."})
           .Step(sdk::Slot{kSiteSearch})
           .Steps({"Click the Call icon in the skill you are calling.",
                   "Once Leadership Agent answers, advise of escalation reasons "
                   "and provide customers information.",
                   "Click Conference to bring customer on the line.",
                   "Once everyone is joined, click Leave to leave the call."}),
       [](const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
         NoteSiteNotKnown(rule, a, "the site specific Leadership Desk skill",
                          "the steps name it", d);
         if (a.call.has_live_transfer_queue_wait()) return;
         sdk::NoteNotKnown(
             rule, "call.live_transfer_queue_wait",
             "you wait in the Live Transfer Queue for over 3 minutes",
             "leave the queue and, with your direct supervisor's "
             "permission, schedule a Call Back with a supervisor instead "
             "(ld.queue.over_3_minutes; ask again with the wait set)",
             d);
       },
       SiteStep},
      // ---- LD-2 ----
      {kLiveTransferJobNoteRule, OnLiveTransferPath,
       sdk::Outcome().Step(
           "Once transfer is complete, notate the job including details of the "
           "interaction and advise name of agent that took over call."),
       [](const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
         sdk::AddRecord(rule, *a.types.live_transfer_job_note,
                        "once the transfer is complete", d);
       }},
      // ---- LD-3 Call Back ----
      {kQueueOverThreeMinutes, CallBackOffered,
       sdk::Outcome()
           .Remove(kDisclosureScript)
           .Action(v1::SCHEDULE_CALLBACK)
           .Mode(v1::TRANSFER_MODE_UNSPECIFIED)
           .Summary("Over 3 minutes in the Live Transfer Queue: with your direct "
                    "supervisor's permission, schedule a Call Back with a "
                    "supervisor.")
           .Steps({"Leave the queue and reach out to your direct supervisor for "
                   "permission to create a Call Back Request.",
                   "Once permission is given, return to the customer and offer to "
                   "schedule the Call Back with a supervisor."}),
       [](const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
         sdk::RequirePermission(rule, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST,
                                a.call, d);
         if (sdk::PermissionAnswer(a.call, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST) ==
             true) {
           sdk::AddNote(rule,
                        "Your direct supervisor gave permission to create a "
                        "Call Back Request.",
                        d);
         }
       }},
      {kCallBackRefused, CallBackRefused,
       sdk::Outcome()
           .Remove(kDisclosureScript)
           .Action(v1::RESOLVE_HERE)
           .To(v1::Decision::CUSTOMER_SERVICE)
           .Mode(v1::TRANSFER_MODE_UNSPECIFIED)
           .Summary("Over 3 minutes in the Live Transfer Queue, and your direct "
                    "supervisor did not give permission to create a Call Back "
                    "Request: do not offer or schedule a Call Back; keep the call.")
           .Note("The Leadership Desk article gives no other path when the Call "
                 "Back Request is not permitted.")},
      {kOfferScriptRule, CallBackOffered,
       sdk::Outcome()
           .Script("callback_offer", kOfferScript)
           .Step("Read the callback offer script.")},
      {kBooking, CallBackOffered,
       sdk::Outcome()
           .Step(sdk::Slot{kSiteBooking})
           .Steps({"Click the date box to select date the customer chooses.",
                   "If not available, advise of dates that are.",
                   "Click the time box to select the time the customer chooses.",
                   "If not available, advise of times that are.",
                   "Click Book Appointment"})
           .Note("The confirmation pop up will display and customer will receive "
                 "a confirmation email with the appointment details. Appointment "
                 "will also be booked in the Leadership Desk outlook calendar."),
       [](const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
         NoteSiteNotKnown(rule, a, "the site specific booking link",
                          "the booking step names it", d);
       },
       SiteStep},
      // ---- LD-4 ----
      {kConfirmationScriptRule, CallBackOffered,
       sdk::Outcome()
           .Script("callback_confirmation", kConfirmationScript)
           .Step("Read the confirmation script.")},
      {kPromiseRule, CallBackOffered, sdk::Outcome(), Promise},
      // ---- LD-5 ----
      {kCallBackExceptionRule, CallBackOffered,
       sdk::Outcome().Steps(
           {"Once call has ended, create the Call Back Exception in ServiceBench.",
            "Click the Exceptions tab in ServiceBench.",
            "Under Exception Type, select Call Back.",
            "Under Exception Status, select Open.",
            "Enter the appropriate comment based on the reason using the "
            "approved Exception Comments."}),
       RequireException},
      // ---- LD-6 ----
      {kCallBackJobNoteRule, CallBackOffered,
       sdk::Outcome().Step(
           "Be sure to notate the job including details of the interaction and "
           "scheduled date/time of the call back."),
       [](const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
         sdk::AddRecord(rule, *a.types.callback_job_note,
                        "once the call back is scheduled", d);
       }},
  });
  table.Removes(DisclosureRemoval());
  return table;
}

}  // namespace escalation::leadership_desk
