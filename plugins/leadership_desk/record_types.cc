// The records the Leadership Desk's rules require (LD-2, LD-5, LD-6), as the
// record types its manifest declares.
#include <string>

#include "escalation/sdk/records.h"
#include "rules.h"

namespace escalation::leadership_desk {

v1::RecordTypeInfo LiveTransferJobNoteType() {
  return sdk::MakeRecordType(
      kLiveTransferJobNote,
      "Job note after a live transfer to the Leadership Desk (LD-2)",
      kLiveTransferJobNoteRule, v1::TASK_SYSTEM_UNSPECIFIED, v1::JOB_NOTE,
      {{"Interaction details", "text", "", "Details of the interaction."},
       {"Agent who took over", "taken_over_by", "",
        "Name of the agent that took over the call."}});
}

v1::RecordTypeInfo CallBackExceptionType(const Config& config) {
  v1::RecordTypeInfo type = sdk::MakeRecordType(
      kCallBackException,
      "Call Back Exception in ServiceBench, once the call has ended (LD-5)",
      kCallBackExceptionRule, v1::SERVICEBENCH, v1::CALL_BACK_EXCEPTION,
      {{"Exception Type", "exception_type", "Call Back", ""},
       {"Exception Status", "exception_status", "Open", ""},
       {"Comment", "text", "",
        "The appropriate comment for the reason from the approved Exception "
        "Comments."}});
  for (const std::string& c : config.approved_exception_comments.all()) {
    type.mutable_fields(kCallBackExceptionCommentField)->add_allowed_values(c);
  }
  return type;
}

v1::RecordTypeInfo CallBackJobNoteType() {
  return sdk::MakeRecordType(
      kCallBackJobNote,
      "Job note after a Leadership Desk call back is scheduled (LD-6)",
      kCallBackJobNoteRule, v1::TASK_SYSTEM_UNSPECIFIED, v1::JOB_NOTE,
      {{"Interaction details", "text", "", "Details of the interaction."},
       {"Scheduled call back date/time", "callback_scheduled_at", "",
        "The scheduled date and time of the call back."}});
}

}  // namespace escalation::leadership_desk
