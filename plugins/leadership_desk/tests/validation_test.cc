// Leadership Desk task validation (LD-2, LD-5, LD-6): a task where each rule
// finds a fault, and a close one where it must not.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fixture.h"

namespace escalation::leadership_desk {
namespace {

// ---- Validation: LD-5 Call Back exception ----

v1::Task GoodException() {
  v1::Task t;
  t.set_kind(v1::CALL_BACK_EXCEPTION);
  t.set_system(v1::SERVICEBENCH);
  t.set_exception_type("Call Back");
  t.set_exception_status("Open");
  t.set_text(kComment);
  t.mutable_call_ended_at()->set_seconds(1000);
  t.mutable_created_at()->set_seconds(1000);
  return t;
}

TEST_F(LeadershipDeskTest, AGoodCallBackExceptionPasses) {
  auto r = Validate(GoodException());
  EXPECT_EQ(r.violations_size(), 0);
  ASSERT_EQ(r.checked_rules_size(), 2);
}

TEST_F(LeadershipDeskTest, CallBackExceptionFieldsAreChecked) {
  v1::Task t = GoodException();
  t.set_exception_type("Callback");
  t.set_exception_status("Closed");
  t.set_text("customer wants a call");
  t.set_system(v1::ZOHO);
  auto r = Validate(t);
  EXPECT_EQ(Fields(r), (std::set<std::string>{"exception_type",
                                              "exception_status", "text",
                                              "system"}));
  for (const auto& v : r.violations()) {
    if (v.field() != "text") continue;
    EXPECT_NE(v.message().find("not in the configured list of approved "
                               "Exception Comments"),
              std::string::npos)
        << v.message();
  }
}

// The record Customer Service asks for under CS-7 (Exception Type, Exception
// Status, Comment; system and times not given) has no error here.
TEST_F(LeadershipDeskTest, ACs7StyleCallBackExceptionHasNoError) {
  v1::Task t;
  t.set_kind(v1::CALL_BACK_EXCEPTION);
  t.set_exception_type("Call Back");
  t.set_exception_status("Open");
  t.set_text(kComment);
  auto r = Validate(t);
  EXPECT_TRUE(Fields(r).empty());
  // Only the after-call check cannot be made without the times.
  EXPECT_EQ(Fields(r, v1::WARNING), std::set<std::string>{"call_ended_at"});
  t.mutable_call_ended_at()->set_seconds(1000);
  t.mutable_created_at()->set_seconds(1060);
  EXPECT_EQ(Validate(t).violations_size(), 0);
}

TEST_F(LeadershipDeskTest, CallBackExceptionIsCreatedOnceTheCallHasEnded) {
  v1::Task t = GoodException();
  t.mutable_created_at()->set_seconds(999);
  auto r = Validate(t);
  EXPECT_EQ(Fields(r), std::set<std::string>{"created_at"});
  EXPECT_EQ(r.violations(0).rule_id(), "ld.callback.exception_after_call");
  t.clear_call_ended_at();
  EXPECT_EQ(Fields(Validate(t), v1::WARNING),
            std::set<std::string>{"call_ended_at"});
}

// The example comments for the CS-5 Tier 2 situations, as config.json ships
// them: a Call Back exception entered under CS-7 for a Tier 2 situation (e.g.
// a legal threat while Tier 2 is closed) must be able to pass.
const std::vector<std::string>& Tier2ExampleComments() {
  static const auto* comments = new std::vector<std::string>{
      "Executive Request - Tier 2 Call Back exception",
      "Above Tier 1 Request - Tier 2 Call Back exception",
      "Legal Action or News Media Threat - Tier 2 Call Back exception",
      "External Review Threat - Tier 2 Call Back exception",
      "Property Damage No Service Provider Response - Tier 2 Call Back "
      "exception",
      "SOS High Risk - Tier 2 Call Back exception"};
  return *comments;
}

TEST(LeadershipDeskShippedConfig, ListsAnExampleCommentForEachTier2Situation) {
  // The SDK has no JSON parser (lite runtime): look for each quoted string.
  // cases/tasks.json validates one through the installed config.
  std::ifstream in(LEADERSHIP_DESK_SHIPPED_CONFIG);
  ASSERT_TRUE(in) << LEADERSHIP_DESK_SHIPPED_CONFIG;
  std::stringstream json;
  json << in.rdbuf();
  for (const std::string& c : Tier2ExampleComments()) {
    EXPECT_NE(json.str().find("\"" + c + "\""), std::string::npos) << c;
  }
}

// The comments a Customer Service decision offers must be those this plugin
// accepts: the two shipped files list the same approved_exception_comments.
TEST(LeadershipDeskShippedConfig, CustomerServiceShipsTheSameComments) {
  auto comments = [](const char* path) {
    std::ifstream in(path);
    EXPECT_TRUE(in) << path;
    std::stringstream json;
    json << in.rdbuf();
    const std::string text = json.str();
    const size_t at = text.find("\"approved_exception_comments\"");
    EXPECT_NE(at, std::string::npos) << path;
    return at == std::string::npos ? std::string() : text.substr(at);
  };
  EXPECT_EQ(comments(CUSTOMER_SERVICE_SHIPPED_CONFIG),
            comments(LEADERSHIP_DESK_SHIPPED_CONFIG));
}

TEST_F(LeadershipDeskTest, ACs7Tier2CallBackExceptionWithAnApprovedCommentPasses) {
  Struct c = GoodConfig();
  auto* list = (*c.mutable_fields())["approved_exception_comments"]
                   .mutable_list_value();
  for (const std::string& comment : Tier2ExampleComments()) {
    list->add_values()->set_string_value(comment);
  }
  ASSERT_TRUE(plugin_.Configure(c).ok());
  // As CS-7 asks for it: type, status, comment; created once the call ended.
  v1::Task t;
  t.set_kind(v1::CALL_BACK_EXCEPTION);
  t.set_exception_type("Call Back");
  t.set_exception_status("Open");
  t.mutable_call_ended_at()->set_seconds(1000);
  t.mutable_created_at()->set_seconds(1060);
  for (const std::string& comment : Tier2ExampleComments()) {
    t.set_text(comment);
    EXPECT_EQ(Validate(t).violations_size(), 0) << comment;
  }
  // Still a closed list.
  t.set_text("Legal threat - call back");
  EXPECT_EQ(Fields(Validate(t)), std::set<std::string>{"text"});
}

// ---- Validation: LD-2 / LD-6 job notes ----

TEST_F(LeadershipDeskTest, LiveTransferJobNoteNamesWhoTookOver) {
  v1::Task t;
  t.set_kind(v1::JOB_NOTE);
  t.set_text("Customer upset about parts delay; transferred to LD.");
  (*t.mutable_fields()->mutable_fields())["leadership_desk_transfer"]
      .set_bool_value(true);
  auto r = Validate(t);
  EXPECT_EQ(Fields(r), std::set<std::string>{"taken_over_by"});
  EXPECT_EQ(r.violations(0).rule_id(), "ld.live_transfer.job_note");
  t.set_taken_over_by("Dana Lee");
  EXPECT_EQ(Validate(t).violations_size(), 0);
  t.clear_fields();  // Naming who took over marks the note by itself.
  t.clear_text();
  EXPECT_EQ(Fields(Validate(t)), std::set<std::string>{"text"});
}

TEST_F(LeadershipDeskTest, AnUnrelatedJobNoteHasNoViolation) {
  v1::Task t;
  t.set_kind(v1::JOB_NOTE);
  t.set_text("Customer confirmed the technician visit for Tuesday.");
  auto r = Validate(t);
  EXPECT_EQ(r.violations_size(), 0);
  EXPECT_EQ(r.checked_rules_size(), 0);
  (*t.mutable_fields()->mutable_fields())["leadership_desk_transfer"]
      .set_bool_value(false);
  EXPECT_EQ(Validate(t).violations_size(), 0);
}

TEST_F(LeadershipDeskTest, ANonBooleanTransferMarkerIsInvalid) {
  v1::Task t;
  t.set_kind(v1::JOB_NOTE);
  (*t.mutable_fields()->mutable_fields())["leadership_desk_transfer"]
      .set_string_value("yes");
  v1::PluginValidateRequest request;
  *request.mutable_task() = t;
  v1::PluginValidateResponse response;
  absl::Status s = plugin_.Validate(request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("task.fields.leadership_desk_transfer"),
            std::string::npos)
      << s;
}

TEST_F(LeadershipDeskTest, CallBackJobNoteNeedsNoTakeOverName) {
  v1::Task t;
  t.set_kind(v1::JOB_NOTE);
  t.set_text("Queue over 3 min; call back booked 11/24 2-3 PM.");
  t.mutable_callback_scheduled_at()->set_seconds(1'790'100'000);
  auto r = Validate(t);
  EXPECT_EQ(r.violations_size(), 0);
  EXPECT_EQ(r.checked_rules(0).rule_id(), "ld.callback.job_note");
  t.set_text(" ");
  EXPECT_EQ(Fields(Validate(t)), std::set<std::string>{"text"});
}

}  // namespace
}  // namespace escalation::leadership_desk
