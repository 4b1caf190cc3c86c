// The rules of the article "Leadership Desk" (LD-1 … LD-6; docs/architecture.md,
// Rules and their articles): each rule's id, title and article, and what the
// admit table (admit_rules.cc, applied in order when a live transfer to the
// Leadership Desk is admitted) reads. The plugin (plugin.h) declares and
// applies it, and validates tasks with the rules named here.
#ifndef ESCALATION_PLUGINS_LEADERSHIP_DESK_RULES_H_
#define ESCALATION_PLUGINS_LEADERSHIP_DESK_RULES_H_

#include <functional>
#include <vector>

#include "absl/time/time.h"
#include "config.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"

namespace escalation::leadership_desk {

namespace v1 = ::escalation::v1;

inline constexpr char kArticle[] = "Leadership Desk";

// The record types the rules require (declared by the plugin in Configure).
inline constexpr char kLiveTransferJobNote[] = "leadership_desk.live_transfer_job_note";
inline constexpr char kCallBackException[] = "leadership_desk.callback_exception";
inline constexpr char kCallBackJobNote[] = "leadership_desk.callback_job_note";
// The Comment field of the Call Back exception record (CallBackExceptionType).
inline constexpr int kCallBackExceptionCommentField = 2;
struct RecordTypes {
  const v1::RecordTypeInfo* live_transfer_job_note = nullptr;  // LD-2
  const v1::RecordTypeInfo* callback_exception = nullptr;      // LD-5
  const v1::RecordTypeInfo* callback_job_note = nullptr;       // LD-6
};
// Each type as the article describes it; the exception's comments come from
// the configuration.
v1::RecordTypeInfo LiveTransferJobNoteType();
v1::RecordTypeInfo CallBackExceptionType(const Config& config);
v1::RecordTypeInfo CallBackJobNoteType();

// LD-1 Live Transfer.
extern const sdk::Rule kLiveTransferSteps;
// LD-2.
extern const sdk::Rule kLiveTransferJobNoteRule;
// LD-3 Call Back.
extern const sdk::Rule kQueueOverThreeMinutes;
extern const sdk::Rule kCallBackRefused;
extern const sdk::Rule kOfferScriptRule;
extern const sdk::Rule kBooking;
// LD-4.
extern const sdk::Rule kConfirmationScriptRule;
extern const sdk::Rule kPromiseRule;
// LD-5 (the after-call check is applied to tasks only).
extern const sdk::Rule kCallBackExceptionRule;
extern const sdk::Rule kExceptionAfterCallRule;
// LD-6.
extern const sdk::Rule kCallBackJobNoteRule;

// Every rule above, in catalogue order.
const std::vector<const sdk::Rule*>& AllRules();

// What the admission rules read.
struct Admission {
  const v1::CallFacts& call;
  const Config& config;
  const Site* site;  // nullptr: the call names no site (unknown).
  const RecordTypes& types;
  absl::Time now;  // The request's evaluation instant.
};

// Every admission rule, in the order it is applied (admit_rules.cc).
sdk::AdmitTable<Admission> AdmitRules();

// CS-1's recording disclosure goes with a transfer out of Customer Service;
// the call back path transfers nothing, so it is not read (design reading).
// The admit table declares the removal: the manifest and ListPlugins show it.
inline constexpr char kDisclosureScript[] = "recording_disclosure";
v1::OutputRemovalInfo DisclosureRemoval();

// Writes each configured site's search and booking steps (LD-1, LD-3).
void PrepareSiteSteps(Config* config);

// LD-3: more than 3 minutes (180 s) in the live-transfer queue.
bool QueueOverThreeMinutes(const v1::CallFacts& call);


}  // namespace escalation::leadership_desk

#endif  // ESCALATION_PLUGINS_LEADERSHIP_DESK_RULES_H_
