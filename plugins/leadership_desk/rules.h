// The Leadership Desk rule table (LD-1 … LD-6; docs/architecture.md, Rules
// and their articles), one entry per
// paragraph of the article "Leadership Desk", applied in order when a live
// transfer to the Leadership Desk is admitted.
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

// What the admission rules read and amend.
struct Admission {
  const v1::CallFacts& call;
  const Config& config;
  const Site* site;  // nullptr: the call names no site (unknown).
  const RecordTypes& types;
  absl::Time now;  // The request's evaluation instant.
  v1::Decision* decision;
};

// A line of the table: the SDK's rule-table form over this plugin's Admission.
using AdmitRule = sdk::AdmitRule<Admission>;

// Writes each configured site's search and booking steps (LD-1, LD-3).
void PrepareSiteSteps(Config* config);

// LD-3: more than 3 minutes (180 s) in the live-transfer queue.
bool QueueOverThreeMinutes(const v1::CallFacts& call);

// Every admission rule, in the order it is applied.
const std::vector<AdmitRule>& AdmitRules();

// Rules checked on tasks (also in AdmitRules, except the after-call check).
const sdk::Rule& LiveTransferJobNoteRule();   // LD-2
const sdk::Rule& CallBackExceptionRule();     // LD-5
const sdk::Rule& ExceptionAfterCallRule();    // LD-5 "once call has ended"
const sdk::Rule& CallBackJobNoteRule();       // LD-6

}  // namespace escalation::leadership_desk

#endif  // ESCALATION_PLUGINS_LEADERSHIP_DESK_RULES_H_
