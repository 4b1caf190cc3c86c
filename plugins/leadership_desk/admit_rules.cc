// Admission of a live transfer to the Leadership Desk: the article
// "Leadership Desk", paragraph by paragraph (LD-1 … LD-6). Each row is
// {rule, condition, outcome, detail}: the outcome holds the article's texts;
// the detail adds only what the call decides (its site, its appointment).
// Where a call's text sits between the article's (the site's skill in LD-1,
// the booking link in LD-3), the rule is two rows in a row: the SDK declares
// it once and applies both in order.
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

using Row = sdk::DecisionRow<Admission>;

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
constexpr char kSearchAnySite[] = "Search for your site specific Leadership Desk skill.";
constexpr char kBookingAnySite[] =
    "Go to the site specific booking link your supervisor gave you.";

// CS-1's recording disclosure goes with a transfer out of Customer Service;
// the call back path transfers nothing, so it is not read (design reading).
// Declared in the manifest (output_edits) with the rows that remove it.
constexpr char kDisclosureRule[] = "cs.transfer.recording_disclosure";
constexpr char kDisclosureScript[] = "recording_disclosure";

bool OnCallBackPath(const Admission& a) { return QueueOverThreeMinutes(a.call); }
bool OnLiveTransferPath(const Admission& a) { return !OnCallBackPath(a); }
// LD-3: "Once permission is given, ... offer to schedule the Call Back": a
// refusal ends the call back path.
bool CallBackRefused(const Admission& a) {
  return OnCallBackPath(a) &&
         sdk::PermissionAnswer(a.call, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST) ==
             false;
}
bool CallBackOffered(const Admission& a) { return OnCallBackPath(a) && !CallBackRefused(a); }

// What the call does not say about the site: the values that stay unnamed.
void NoteSiteNotKnown(const sdk::Rule& rule, const Admission& a, absl::string_view value,
                      absl::string_view then, v1::Decision* d) {
  sdk::NoteNotKnown(rule, absl::StrCat("call.site, so ", value, " cannot be named"),
                    absl::StrCat("call.site names your site (configured: ",
                                 a.config.SiteNames(), ")"),
                    then, d);
}

// ---- LD-1 Live Transfer ----
const sdk::Rule kLiveTransferSteps{
    "ld.live_transfer.steps",
    "Live Transfer to the Leadership Desk: the article's steps in order, with the "
    "site specific Leadership Desk skill",
    kArticle};

void SearchStep(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  sdk::AddStep(rule, a.site == nullptr ? kSearchAnySite : a.site->search_step, d);
}

void LiveTransferNotKnown(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  if (a.site == nullptr) {
    NoteSiteNotKnown(rule, a, "the site specific Leadership Desk skill", "the steps name it", d);
  }
  if (!a.call.has_live_transfer_queue_wait()) {
    sdk::NoteNotKnown(rule, "call.live_transfer_queue_wait",
                      "you wait in the Live Transfer Queue for over 3 minutes",
                      "leave the queue and, with your direct supervisor's "
                      "permission, schedule a Call Back with a supervisor instead "
                      "(ld.queue.over_3_minutes; ask again with the wait set)",
                      d);
  }
}

// ---- LD-3 Call Back ----
const sdk::Rule kOverThreeMinutes{
    "ld.queue.over_3_minutes",
    "Over 3 minutes (more than 180 s) in the Live Transfer Queue: leave the queue "
    "and ask the direct supervisor's permission for a Call Back Request (design "
    "reading: no transfer takes place, so the transfer's recording disclosure is "
    "not read)",
    kArticle};

void AskPermission(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  sdk::RequirePermission(rule, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST, a.call, d);
  if (sdk::PermissionAnswer(a.call, v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST) == true) {
    sdk::AddNote(rule, "Your direct supervisor gave permission to create a Call Back Request.",
                 d);
  }
}

const sdk::Rule kBooking{
    "ld.callback.booking",
    "Book through the site specific booking link: date, then time; if the "
    "customer's choice is not available, advise of dates/times that are",
    kArticle};

void BookingStep(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  sdk::AddStep(rule, a.site == nullptr ? kBookingAnySite : a.site->booking_step, d);
}

void BookingNotKnown(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  if (a.site == nullptr) {
    NoteSiteNotKnown(rule, a, "the site specific booking link", "the booking step names it", d);
  }
}

// ---- LD-4 ----
// Due instants count from the start of the booked window
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

// ---- LD-5 ----
// "based on the reason": the record's comment offers those configured for the
// call's reasons (all of them when none of its reasons has any). The record
// depends on the call, so it is written here rather than declared in the
// row's outcome (whose texts are declared once, as they are).
void CallBackExceptionRecord(const sdk::Rule& rule, const Admission& a, v1::Decision* d) {
  v1::RequiredRecord* record =
      sdk::AddRecord(rule, *a.types.callback_exception, "once the call has ended", d);
  v1::RecordField* comment = record->mutable_fields(kCallBackExceptionCommentField);
  comment->clear_allowed_values();
  a.config.approved_exception_comments.AddForCall(a.call, comment->mutable_allowed_values());
}

}  // namespace

const sdk::Rule& LiveTransferJobNoteRule() {
  static const auto* rule = new sdk::Rule{
      "ld.live_transfer.job_note",
      "Once the transfer is complete, notate the job with the details of the "
      "interaction and the name of the agent that took over the call (design "
      "reading: a job note records a Leadership Desk live transfer when it names "
      "who took over or sets fields.leadership_desk_transfer; other job notes are "
      "not checked)",
      kArticle};
  return *rule;
}

const sdk::Rule& CallBackExceptionRule() {
  static const auto* rule = new sdk::Rule{
      "ld.callback.exception",
      "Call Back Exception in ServiceBench: Exception Type \"Call Back\", Exception "
      "Status \"Open\", comment from the approved Exception Comments, the "
      "site-provided list in the configuration (design reading of \"based on the "
      "reason\": the record offers the comments configured for the call's reasons, "
      "all of them when none of its reasons has any)",
      kArticle};
  return *rule;
}

const sdk::Rule& CallBackJobNoteRule() {
  static const auto* rule = new sdk::Rule{
      "ld.callback.job_note",
      "Notate the job with the details of the interaction and the scheduled "
      "date/time of the call back",
      kArticle};
  return *rule;
}

bool QueueOverThreeMinutes(const v1::CallFacts& call) {
  return call.has_live_transfer_queue_wait() &&
         sdk::FromProto(call.live_transfer_queue_wait()) > absl::Minutes(3);
}

void PrepareSiteSteps(Config* config) {
  for (auto& [name, site] : config->sites) {
    site.search_step = absl::StrCat("Search for your site specific Leadership Desk skill: ",
                                    site.leadership_desk_skill, ".");
    site.booking_step = absl::StrCat("Go to site specific booking link: ", site.booking_link);
  }
}

std::vector<Row> AdmissionRows() {
  using sdk::Outcome;
  return {
      // ---- LD-1 Live Transfer ----
      {kLiveTransferSteps, OnLiveTransferPath,
       Outcome().Mode(v1::LIVE).Steps({"While on the active call, place the caller on hold.",
                                       "Click the Consult/Transfer icon."}),
       SearchStep},
      {kLiveTransferSteps, OnLiveTransferPath,
       Outcome().Steps({"Click the Call icon in the skill you are calling.",
                        "Once Leadership Agent answers, advise of escalation reasons and "
                        "provide customers information.",
                        "Click Conference to bring customer on the line.",
                        "Once everyone is joined, click Leave to leave the call."}),
       LiveTransferNotKnown},
      // ---- LD-2 ----
      {LiveTransferJobNoteRule(), OnLiveTransferPath,
       Outcome()
           .Step("Once transfer is complete, notate the job including details of the "
                 "interaction and advise name of agent that took over call.")
           .Record(kLiveTransferJobNote, "once the transfer is complete")},
      // ---- LD-3 Call Back ----
      {kOverThreeMinutes, CallBackOffered,
       Outcome()
           .Action(v1::SCHEDULE_CALLBACK)
           .Mode(v1::TRANSFER_MODE_UNSPECIFIED)
           .Remove(kDisclosureRule, kDisclosureScript)
           .Summary("Over 3 minutes in the Live Transfer Queue: with your direct "
                    "supervisor's permission, schedule a Call Back with a supervisor.")
           .Steps({"Leave the queue and reach out to your direct supervisor for "
                   "permission to create a Call Back Request.",
                   "Once permission is given, return to the customer and offer to "
                   "schedule the Call Back with a supervisor."}),
       AskPermission},
      {{"ld.queue.callback_refused",
        "Over 3 minutes in the Live Transfer Queue and the direct supervisor "
        "refused the Call Back Request: no Call Back is offered, booked or "
        "recorded and nothing is promised; the agent keeps the call (design "
        "reading: the article offers the Call Back only \"once permission is "
        "given\" and gives no other path)",
        kArticle},
       CallBackRefused,
       Outcome()
           .Action(v1::RESOLVE_HERE)
           .To(v1::Decision::CUSTOMER_SERVICE)
           .Mode(v1::TRANSFER_MODE_UNSPECIFIED)
           .Remove(kDisclosureRule, kDisclosureScript)
           .Summary("Over 3 minutes in the Live Transfer Queue, and your direct "
                    "supervisor did not give permission to create a Call Back "
                    "Request: do not offer or schedule a Call Back; keep the call.")
           .Note("The Leadership Desk article gives no other path when the Call "
                 "Back Request is not permitted.")},
      {{"ld.callback.offer_script",
        "Offer the Call Back with a supervisor: the article's script (design "
        "reading: a step says to read it once permission is given)",
        kArticle},
       CallBackOffered,
       Outcome()
           .Script("callback_offer", kOfferScript)
           .Step("Read the callback offer script.")},
      {kBooking, CallBackOffered, Outcome(), BookingStep},
      {kBooking, CallBackOffered,
       Outcome()
           .Steps({"Click the date box to select date the customer chooses.",
                   "If not available, advise of dates that are.",
                   "Click the time box to select the time the customer chooses.",
                   "If not available, advise of times that are.", "Click Book Appointment"})
           .Note("The confirmation pop up will display and customer will receive a "
                 "confirmation email with the appointment details. Appointment will "
                 "also be booked in the Leadership Desk outlook calendar."),
       BookingNotKnown},
      // ---- LD-4 ----
      {{"ld.callback.confirmation_script",
        "Confirm the appointment with a Customer Advocacy Supervisor: the "
        "article's script (design reading: a step says to read it after Book "
        "Appointment)",
        kArticle},
       CallBackOffered,
       Outcome()
           .Script("callback_confirmation", kConfirmationScript)
           .Step("Read the confirmation script.")},
      {{"ld.callback.promise",
        "Callback promise: contact within 5 minutes of the appointment window, "
        "retry within 15 minutes, then voicemail and email to reschedule (design "
        "reading: due instants count from the booked window's start, "
        "call.callback_appointment; before a window is booked the promise carries "
        "its durations only, no due instant; the retry is due 15 minutes after "
        "the first contact is due)",
        kArticle},
       CallBackOffered, Outcome(), Promise},
      // ---- LD-5 ----
      {CallBackExceptionRule(), CallBackOffered,
       Outcome()
           .Steps({"Once call has ended, create the Call Back Exception in ServiceBench.",
                   "Click the Exceptions tab in ServiceBench.",
                   "Under Exception Type, select Call Back.",
                   "Under Exception Status, select Open.",
                   "Enter the appropriate comment based on the reason using the "
                   "approved Exception Comments."}),
       CallBackExceptionRecord},
      // ---- LD-6 ----
      {CallBackJobNoteRule(), CallBackOffered,
       Outcome()
           .Step("Be sure to notate the job including details of the interaction and "
                 "scheduled date/time of the call back.")
           .Record(kCallBackJobNote, "once the call back is scheduled")},
  };
}

}  // namespace escalation::leadership_desk
