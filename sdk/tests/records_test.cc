// Record types: built, required on a decision, checked on a task.
#include "escalation/sdk/records.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::sdk {
namespace {

const Rule kRule{"x.note", "A note", "An article"};

v1::RecordTypeInfo Type() {
  v1::RecordTypeInfo type = MakeRecordType(
      "x.note", "A note", kRule, v1::SERVICEBENCH, v1::CALL_BACK_EXCEPTION,
      {{"Exception Type", "exception_type", "Call Back", ""},
       {"Comment", "text", "", "The comment."},
       {"When", "callback_scheduled_at", "", "The date."},
       {"Ticket", "fields.ticket", "", "The ticket."}});
  type.mutable_fields(1)->add_allowed_values("ok");
  return type;
}

std::vector<std::string> ErrorFields(const v1::PluginValidateResponse& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations()) out.push_back(v.field());
  return out;
}

TEST(RecordsTest, AddRecordCopiesTheTypeOntoTheDecision) {
  v1::Decision d;
  v1::RequiredRecord* r = AddRecord(kRule, Type(), "once", &d);
  EXPECT_EQ(r->record_type(), "x.note");
  EXPECT_EQ(r->system(), v1::SERVICEBENCH);
  ASSERT_EQ(r->fields_size(), 4);
  EXPECT_EQ(r->fields(0).task_field(), "exception_type");
  EXPECT_EQ(r->when(), "once");
}

TEST(RecordsTest, EachEmptyWrongOrUnlistedFieldIsAnErrorOnItsTaskField) {
  v1::Task task;
  v1::PluginValidateResponse r;
  CheckRecordFields(kRule, Type(), task, &r);
  EXPECT_THAT(ErrorFields(r), ::testing::ElementsAre("exception_type", "text",
                                                     "callback_scheduled_at", "fields.ticket"));
  task.set_exception_type(std::string(300, 'q'));
  task.set_text("not ok");
  task.mutable_callback_scheduled_at()->set_seconds(1);
  (*task.mutable_fields()->mutable_fields())["ticket"].set_string_value("T-1");
  r.Clear();
  CheckRecordFields(kRule, Type(), task, &r);
  EXPECT_THAT(ErrorFields(r), ::testing::ElementsAre("exception_type", "text"));
  EXPECT_LT(r.violations(0).message().size(), 250u);  // The value is quoted short.
  task.set_exception_type("Call Back");
  task.set_text("ok");
  r.Clear();
  CheckRecordFields(kRule, Type(), task, &r);
  EXPECT_TRUE(r.violations().empty());
}

TEST(RecordsTest, AFieldAlreadyReportedIsLeftToItsViolation) {
  v1::PluginValidateResponse r;
  r.add_violations()->set_field("text");
  CheckRecordFields(kRule, Type(), v1::Task(), &r);
  EXPECT_THAT(ErrorFields(r), ::testing::ElementsAre("text", "exception_type",
                                                     "callback_scheduled_at", "fields.ticket"));
}

TEST(RecordsTest, TaskFieldTextKnowsTheTaskFields) {
  v1::Task task;
  task.add_resolution_reasons("A");
  task.add_resolution_reasons("B");
  EXPECT_EQ(TaskFieldText(task, "resolution_reasons"), "A, B");
  EXPECT_EQ(TaskFieldText(task, "created_at"), "");
  EXPECT_EQ(TaskFieldText(task, "no_such_field"), std::nullopt);
}

}  // namespace
}  // namespace escalation::sdk
