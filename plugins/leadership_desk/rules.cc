#include "rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/time.h"

namespace escalation::leadership_desk {

// ---- LD-1 Live Transfer ----
const sdk::Rule kLiveTransferSteps{
    "ld.live_transfer.steps",
    "Live Transfer to the Leadership Desk: the article's steps in order, "
    "with the site specific Leadership Desk skill",
    kArticle};
// ---- LD-2 ----
const sdk::Rule kLiveTransferJobNoteRule{
    "ld.live_transfer.job_note",
    "Once the transfer is complete, notate the job with the details of the "
    "interaction and the name of the agent that took over the call "
    "(design reading: a job note records a Leadership Desk live transfer "
    "when it names who took over or sets "
    "fields.leadership_desk_transfer; other job notes are not checked)",
    kArticle};
// ---- LD-3 Call Back ----
const sdk::Rule kQueueOverThreeMinutes{
    "ld.queue.over_3_minutes",
    "Over 3 minutes (more than 180 s) in the Live Transfer Queue: leave "
    "the queue and ask the direct supervisor's permission for a Call Back "
    "Request (design reading: no transfer takes place, so the transfer's "
    "recording disclosure is not read)",
    kArticle};
const sdk::Rule kCallBackRefused{
    "ld.queue.callback_refused",
    "Over 3 minutes in the Live Transfer Queue and the direct supervisor "
    "refused the Call Back Request: no Call Back is offered, booked or "
    "recorded and nothing is promised; the agent keeps the call "
    "(design reading: the article offers the Call Back only \"once "
    "permission is given\" and gives no other path)",
    kArticle};
const sdk::Rule kOfferScriptRule{
    "ld.callback.offer_script",
    "Offer the Call Back with a supervisor: the article's script "
    "(design reading: a step says to read it once permission is "
    "given)",
    kArticle};
const sdk::Rule kBooking{
    "ld.callback.booking",
    "Book through the site specific booking link: date, then time; if the "
    "customer's choice is not available, advise of dates/times that are",
    kArticle};
// ---- LD-4 ----
const sdk::Rule kConfirmationScriptRule{
    "ld.callback.confirmation_script",
    "Confirm the appointment with a Customer Advocacy Supervisor: "
    "the article's script (design reading: a step says to read it "
    "after Book Appointment)",
    kArticle};
const sdk::Rule kPromiseRule{
    "ld.callback.promise",
    "Callback promise: contact within 5 minutes of the appointment window, "
    "retry within 15 minutes, then voicemail and email to reschedule "
    "(design reading: due instants count from the booked window's start, "
    "call.callback_appointment; before a window is booked the promise "
    "carries its durations only, no due instant; the retry is due 15 "
    "minutes after the first contact is due)",
    kArticle};
// ---- LD-5 ----
const sdk::Rule kCallBackExceptionRule{
    "ld.callback.exception",
    "Call Back Exception in ServiceBench: Exception Type \"Call Back\", "
    "Exception Status \"Open\", comment from the approved Exception "
    "Comments, the site-provided list in the configuration (design "
    "reading of \"based on the reason\": the record offers the comments "
    "configured for the call's reasons, all of them when none of its "
    "reasons has any)",
    kArticle};
const sdk::Rule kExceptionAfterCallRule{
    "ld.callback.exception_after_call",
    "The Call Back Exception is created once the call has ended",
    kArticle};
// ---- LD-6 ----
const sdk::Rule kCallBackJobNoteRule{
    "ld.callback.job_note",
    "Notate the job with the details of the interaction and the scheduled "
    "date/time of the call back",
    kArticle};

const std::vector<const sdk::Rule*>& AllRules() {
  static const auto* rules = new std::vector<const sdk::Rule*>{
      &kLiveTransferSteps,      &kLiveTransferJobNoteRule, &kQueueOverThreeMinutes,
      &kCallBackRefused,        &kOfferScriptRule,         &kBooking,
      &kConfirmationScriptRule, &kPromiseRule,             &kCallBackExceptionRule,
      &kExceptionAfterCallRule, &kCallBackJobNoteRule};
  return *rules;
}

v1::OutputRemovalInfo DisclosureRemoval() {
  v1::OutputRemovalInfo removal;
  removal.set_script_id(kDisclosureScript);
  removal.set_cited_rule_id("cs.transfer.recording_disclosure");
  removal.add_by_rule_ids(kQueueOverThreeMinutes.id);
  removal.add_by_rule_ids(kCallBackRefused.id);
  removal.set_why(
      "All transfers must include the recording disclosure; on the Call Back "
      "path no transfer takes place, so the disclosure is not read (design "
      "reading).");
  return removal;
}

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

}  // namespace escalation::leadership_desk
