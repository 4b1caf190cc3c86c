// Unit tests of the TS&R task validation: the QuickBase Supervisor Call Back
// Follow-Up Request (TSR-4) and the Communication History Log entry (TSR-2).
#include "rules.h"
#include "fixture.h"

namespace escalation::telesales_retention {
namespace {

using ::testing::IsEmpty;
using namespace testing_util;  // NOLINT

class ValidateTest : public PluginTest {
 protected:
  v1::PluginValidateResponse Validate(const v1::Task& task) {
    auto response = sdk::testing::ValidateAt(plugin_, task, kNow);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(v1::PluginValidateResponse());
  }

};

// Validation: Supervisor Call Back Follow-Up Request (TSR-4)
v1::Task CallbackRequest(v1::TaskSystem system) {
  v1::Task task;
  task.set_kind(v1::SUPERVISOR_CALLBACK_REQUEST);
  task.set_system(system);
  return task;
}

TEST_F(ValidateTest, CallbackRequestInQuickBaseIsValid) {
  v1::PluginValidateResponse r = Validate(CallbackRequest(v1::QUICKBASE));
  EXPECT_THAT(r.violations(), IsEmpty());
  ASSERT_EQ(r.checked_rules_size(), 1);
  EXPECT_EQ(r.checked_rules(0).rule_id(), "tsr.callback_request.in_quickbase");
}

TEST_F(ValidateTest, CallbackRequestOutsideQuickBaseIsAnError) {
  for (v1::TaskSystem system : {v1::ZOHO, v1::TASK_SYSTEM_UNSPECIFIED}) {
    v1::PluginValidateResponse r = Validate(CallbackRequest(system));
    ASSERT_EQ(r.violations_size(), 1);
    EXPECT_EQ(r.violations(0).field(), "system");
    EXPECT_EQ(r.violations(0).severity(), v1::ERROR);
    EXPECT_EQ(r.violations(0).rule_id(), "tsr.callback_request.in_quickbase");
    EXPECT_THAT(r.violations(0).message(),
                ::testing::EndsWith(system == v1::ZOHO ? "system is ZOHO." : "system is not set."));
  }
}

TEST_F(ValidateTest, CallbackScheduledExactly48HoursAfterIsFineOneSecondMoreWarns) {
  v1::Task task = CallbackRequest(v1::QUICKBASE);
  *task.mutable_created_at() = sdk::ToProto(kNow);
  *task.mutable_callback_scheduled_at() = sdk::ToProto(kNow + absl::Hours(48));
  EXPECT_THAT(Validate(task).violations(), IsEmpty());
  *task.mutable_callback_scheduled_at() =
      sdk::ToProto(kNow + absl::Hours(48) + absl::Seconds(1));
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).field(), "callback_scheduled_at");
  EXPECT_EQ(r.violations(0).severity(), v1::WARNING);
}

TEST_F(ValidateTest, TurnaroundIsNotCheckedWithoutBothTimes) {
  v1::Task task = CallbackRequest(v1::QUICKBASE);
  *task.mutable_callback_scheduled_at() = sdk::ToProto(kNow + absl::Hours(100));
  v1::PluginValidateResponse r = Validate(task);
  EXPECT_THAT(r.violations(), IsEmpty());
  EXPECT_EQ(r.checked_rules_size(), 1);
}

// Validation: Communication History Log entry (TSR-2)
v1::Task HistoryEntry(const char* text) {
  v1::Task task;
  task.set_kind(v1::COMMUNICATION_HISTORY_ENTRY);
  task.set_text(text);
  (*task.mutable_fields()->mutable_fields())["supervisor_request"].set_bool_value(true);
  return task;
}

TEST_F(ValidateTest, HistoryEntryDocumentingTheRequestIsValid) {
  v1::PluginValidateResponse r = Validate(
      HistoryEntry("Caller asked to speak to a Supervisor about a claim; warm "
                   "transferred to CS."));
  EXPECT_THAT(r.violations(), IsEmpty());
  ASSERT_EQ(r.checked_rules_size(), 1);
  EXPECT_EQ(r.checked_rules(0).rule_id(), "tsr.claim_related.history_entry");
}

TEST_F(ValidateTest, HistoryEntryWithoutTextIsAnError) {
  v1::PluginValidateResponse r = Validate(HistoryEntry("  "));
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).field(), "text");
  EXPECT_EQ(r.violations(0).severity(), v1::ERROR);
}

TEST_F(ValidateTest, HistoryEntryNotMentioningTheSupervisorWarns) {
  v1::PluginValidateResponse r = Validate(HistoryEntry("Transferred to CS."));
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).severity(), v1::WARNING);
}

TEST_F(ValidateTest, HistoryEntryNotMarkedIsNotChecked) {
  v1::Task task = HistoryEntry("");
  (*task.mutable_fields()->mutable_fields())["supervisor_request"].set_bool_value(false);
  EXPECT_EQ(Validate(task).checked_rules_size(), 0);
  task.mutable_fields()->mutable_fields()->erase("supervisor_request");
  EXPECT_EQ(Validate(task).checked_rules_size(), 0);
}

TEST_F(ValidateTest, HistoryEntryMarkerMustBeABool) {
  v1::Task task = HistoryEntry("Supervisor request");
  (*task.mutable_fields()->mutable_fields())["supervisor_request"].set_string_value("yes");
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).field(), "fields.supervisor_request");
}

TEST_F(ValidateTest, OtherTaskKindsAreRefused) {
  v1::PluginValidateRequest request;
  request.mutable_task()->set_kind(v1::T2_TASK);
  v1::PluginValidateResponse response;
  EXPECT_FALSE(plugin_.Validate(request, &response).ok());
}

}  // namespace
}  // namespace escalation::telesales_retention

namespace escalation::telesales_retention {
namespace {

using ::testing::HasSubstr;

// Issue 9: a task naming its record type is checked as that record; a task
// the rules cannot place, or a check that lacks a time, says what is unknown.
TEST_F(ValidateTest, AHistoryEntryNamedByItsTypeIsCheckedWithoutTheMarker) {
  v1::Task task;
  task.set_kind(v1::COMMUNICATION_HISTORY_ENTRY);
  task.set_record_type(kHistoryEntryType);
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).field(), "text");
  EXPECT_EQ(r.violations(0).severity(), v1::ERROR);
  task.set_text("Caller asked to speak to a Supervisor; warm transfer to CS.");
  EXPECT_THAT(Validate(task).violations(), IsEmpty());
}

TEST_F(ValidateTest, AnUnmarkedHistoryEntrySaysWhatIsNotKnown) {
  v1::Task task;
  task.set_kind(v1::COMMUNICATION_HISTORY_ENTRY);
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).code(), "not_known");
  EXPECT_THAT(r.findings(0).message(),
              HasSubstr("not known: fields.supervisor_request; if this entry "
                        "documents a caller's request"));
  EXPECT_EQ(r.checked_rules_size(), 0);
}

TEST_F(ValidateTest, TheTurnaroundCheckWithoutBothTimesSaysWhichIsMissing) {
  v1::Task task = CallbackRequest(v1::QUICKBASE);
  *task.mutable_created_at() = sdk::ToProto(kNow);
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_THAT(r.findings(0).message(),
              HasSubstr("not known: callback_scheduled_at; if the callback is "
                        "scheduled more than 48 hours after the request"));
  *task.mutable_callback_scheduled_at() = sdk::ToProto(kNow + absl::Hours(1));
  EXPECT_EQ(Validate(task).findings_size(), 0);
}

TEST_F(ValidateTest, DeclaresItsTwoRecordTypes) {
  const auto& types = plugin_.manifest().record_types();
  ASSERT_EQ(types.size(), 2);
  EXPECT_EQ(types[0].id(), kHistoryEntryType);
  EXPECT_EQ(types[1].id(), kCallbackRequestType);
  EXPECT_EQ(types[1].system(), v1::QUICKBASE);
}

}  // namespace
}  // namespace escalation::telesales_retention
