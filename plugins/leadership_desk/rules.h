// The Leadership Desk's rules (article "Leadership Desk", LD-1 … LD-6) as the
// SDK's tables, one file per hook: admit_rules.cc (a live transfer to the
// desk, or the call back path after 3 minutes in the queue) and
// validate_rules.cc (Call Back exceptions and job notes). Here: what the
// rows read, the rules both tables apply, and the record types they require.
#ifndef ESCALATION_PLUGINS_LEADERSHIP_DESK_RULES_H_
#define ESCALATION_PLUGINS_LEADERSHIP_DESK_RULES_H_

#include <vector>

#include "absl/status/statusor.h"
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

// The rules that ask for a record on admission and check it on the task.
const sdk::Rule& LiveTransferJobNoteRule();  // LD-2
const sdk::Rule& CallBackExceptionRule();    // LD-5
const sdk::Rule& CallBackJobNoteRule();      // LD-6

// ---- Admission (admit_rules.cc) ----

// What the admission rows read: a transfer to the desk, as proposed.
struct Admission {
  const v1::CallFacts& call;
  const Config& config;
  const RecordTypes& types;
  const Site* site;  // nullptr: the call names no site (unknown).
};

// LD-3: more than 3 minutes (180 s) in the live-transfer queue.
bool QueueOverThreeMinutes(const v1::CallFacts& call);

// Writes each configured site's search and booking steps (LD-1, LD-3).
void PrepareSiteSteps(Config* config);

// The admission table's rows, in the order they are applied.
std::vector<sdk::DecisionRow<Admission>> AdmissionRows();

// ---- Tasks (validate_rules.cc) ----

// Which of the Leadership Desk's job notes a JOB_NOTE task is (none: not the
// desk's note, no rule applies).
enum class JobNote { kNone, kLiveTransfer, kCallBack };

// What the task rows read.
struct TaskCheck {
  const v1::Task& task;
  const Config& config;
  const RecordTypes& types;
  JobNote note;
  bool named;  // The task names the note's record type (Task.record_type).
};

// The task's facts: INVALID_ARGUMENT for a kind this plugin does not
// validate or a non-boolean fields.leadership_desk_transfer.
absl::StatusOr<TaskCheck> TaskCheckOf(const v1::Task& task, const Config& config,
                                      const RecordTypes& types);

// The task table's rows, in the order they are applied.
std::vector<sdk::CheckRow<TaskCheck>> TaskRows();

}  // namespace escalation::leadership_desk

#endif  // ESCALATION_PLUGINS_LEADERSHIP_DESK_RULES_H_
