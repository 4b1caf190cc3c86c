// Unit tests of the T2 task validation: MS-2 (Category), MS-3 (one reason,
// never "None"), MS-4 (retained or not), MS-5 (created after the call).
#include "rules.h"
#include "fixture.h"

namespace escalation::membership_services {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace testing_util;  // NOLINT

const absl::Time kCallEnd = At("2026-11-23T15:00:00Z");

// A valid T2 task for a transfer from `origin`.
v1::Task T2Task(v1::Department origin = v1::MEMBERSHIP_SERVICES) {
  v1::Task task;
  task.set_kind(v1::T2_TASK);
  task.set_system(v1::ZOHO);
  task.set_origin_department(origin);
  task.set_category("Membership Services");
  task.add_resolution_reasons("Created T3 for Follow Up");
  *task.mutable_call_ended_at() = sdk::ToProto(kCallEnd);
  *task.mutable_created_at() = sdk::ToProto(kCallEnd + absl::Minutes(2));
  return task;
}

void SetReasons(v1::Task* task, std::vector<std::string> reasons) {
  task->clear_resolution_reasons();
  for (const std::string& r : reasons) task->add_resolution_reasons(r);
}

class ValidateTest : public PluginTest {
 protected:
  v1::PluginValidateResponse Validate(const v1::Task& task) {
    auto response = sdk::testing::ValidateAt(plugin_, task, kCallEnd + absl::Hours(1));
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(v1::PluginValidateResponse());
  }
  // The rule ids of the violations of `task`.
  std::vector<std::string> Violated(const v1::Task& task) {
    return RuleIdsOf(Validate(task).violations());
  }
  // The finding codes of `task`.
  std::vector<std::string> Findings(const v1::Task& task) {
    const v1::PluginValidateResponse response = Validate(task);
    std::vector<std::string> codes;
    for (const auto& f : response.findings()) codes.push_back(f.code());
    return codes;
  }
};

TEST_F(ValidateTest, ValidMembershipTaskHasNoViolations) {
  for (v1::Department origin : {v1::MEMBERSHIP_SERVICES, v1::TELESALES_RETENTION}) {
    v1::PluginValidateResponse r = Validate(T2Task(origin));
    EXPECT_THAT(r.violations(), IsEmpty());
    EXPECT_THAT(RuleIdsOf(r.checked_rules()),
                ::testing::ElementsAre("ms.t2_task.category",
                                       "ms.t2_task.one_resolution_reason",
                                       "ms.t2_task.none_removed",
                                       "ms.t2_task.retention_finding",
                                       "ms.t2_task.created_after_call"));
  }
}

// MS-2
TEST_F(ValidateTest, MembershipTransferNeedsCategoryMembershipServices) {
  v1::Task task = T2Task(v1::TELESALES_RETENTION);
  task.set_category("Tier 2");
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).field(), "category");
  EXPECT_EQ(r.violations(0).rule_id(), "ms.t2_task.category");
  EXPECT_EQ(r.violations(0).severity(), v1::ERROR);
}

TEST_F(ValidateTest, OtherOriginsAreNotHeldToTheMembershipFields) {
  v1::Task task = T2Task(v1::CUSTOMER_SERVICE);
  task.set_category("Tier 2");
  SetReasons(&task, {"None", "A", "B"});
  v1::PluginValidateResponse r = Validate(task);
  EXPECT_THAT(r.violations(), IsEmpty());
  EXPECT_THAT(RuleIdsOf(r.checked_rules()),
              ::testing::ElementsAre("ms.t2_task.created_after_call"));
}

TEST_F(ValidateTest, CategoryAloneIdentifiesAMembershipTransfer) {
  v1::Task task = T2Task(v1::DEPARTMENT_UNSPECIFIED);
  SetReasons(&task, {"None"});
  EXPECT_THAT(Violated(task), Contains("ms.t2_task.none_removed"));
  EXPECT_THAT(Violated(task), Not(Contains("ms.t2_task.category")));
}

// MS-3
TEST_F(ValidateTest, NoneMustBeRemoved) {
  v1::Task task = T2Task();
  SetReasons(&task, {"None", "Created T3 for Follow Up"});
  EXPECT_THAT(Violated(task), ::testing::ElementsAre("ms.t2_task.none_removed"));
  SetReasons(&task, {"None"});
  EXPECT_THAT(Violated(task), ::testing::ElementsAre(
                                  "ms.t2_task.none_removed",
                                  "ms.t2_task.one_resolution_reason"));
}

TEST_F(ValidateTest, ExactlyOneReason) {
  v1::Task task = T2Task();
  SetReasons(&task, {"Created T3 for Follow Up", "Sent to Membership to Cancel"});
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).rule_id(), "ms.t2_task.one_resolution_reason");
  EXPECT_EQ(r.violations(0).field(), "resolution_reasons");
  EXPECT_THAT(r.findings(), IsEmpty());
  SetReasons(&task, {});
  EXPECT_THAT(Violated(task),
              ::testing::ElementsAre("ms.t2_task.one_resolution_reason"));
}

// MS-4
TEST_F(ValidateTest, SentToMembershipToCancelMeansNotRetained) {
  v1::Task task = T2Task();
  SetReasons(&task, {"Sent to Membership to Cancel"});
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).code(), "customer_not_retained_sent_to_cancel");
  EXPECT_EQ(r.findings(0).rule_id(), "ms.t2_task.retention_finding");
  EXPECT_THAT(r.findings(0).message(), HasSubstr("Not retained"));
  EXPECT_THAT(r.findings(0).message(),
              HasSubstr("there was still a need to transfer the customer to or "
                        "back to membership to cancel"));
}

TEST_F(ValidateTest, CreatedT3ForFollowUpIsUnresolvedRetentionNotYetKnown) {
  v1::PluginValidateResponse r = Validate(T2Task());
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).code(), "unresolved_t3_follow_up");
  EXPECT_THAT(r.findings(0).message(),
              HasSubstr("whether the customer was retained is not yet known"));
  EXPECT_THAT(r.findings(0).message(),
              HasSubstr("will need to be followed up on after the T2 agent was "
                        "unsuccessful at deescalating and setting the "
                        "expectation"));
  EXPECT_THAT(r.findings(0).message(), Not(HasSubstr("Not retained")));
}

TEST_F(ValidateTest, NamedReasonsCompareIgnoringCaseAndSpaces) {
  v1::Task task = T2Task();
  SetReasons(&task, {"  sent to membership to cancel "});
  EXPECT_THAT(Findings(task),
              ::testing::ElementsAre("customer_not_retained_sent_to_cancel"));
}

TEST_F(ValidateTest, AnyOtherReasonMeansRetained) {
  v1::Task task = T2Task();
  SetReasons(&task, {"Resolved - Expectations Set"});
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).code(), "customer_retained");
  EXPECT_EQ(r.findings(0).rule_id(), "ms.t2_task.retention_finding");
  EXPECT_THAT(r.findings(0).message(), HasSubstr("Resolved - Expectations Set"));
  EXPECT_THAT(r.findings(0).message(),
              HasSubstr("All other resolution reasons will indicate the "
                        "customer no longer needed to cancel after speaking "
                        "with the T2 agent."));
}

// MS-5
TEST_F(ValidateTest, CreatedExactlyAtCallEndIsFine) {
  v1::Task task = T2Task();
  *task.mutable_created_at() = sdk::ToProto(kCallEnd);
  EXPECT_THAT(Violated(task), IsEmpty());
}

TEST_F(ValidateTest, CreatedOneSecondBeforeCallEndIsAnError) {
  v1::Task task = T2Task(v1::CUSTOMER_SERVICE);
  *task.mutable_created_at() = sdk::ToProto(kCallEnd - absl::Seconds(1));
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).rule_id(), "ms.t2_task.created_after_call");
  EXPECT_EQ(r.violations(0).field(), "created_at");
  EXPECT_EQ(r.violations(0).severity(), v1::ERROR);
}

TEST_F(ValidateTest, MissingTimesAreWarningsNamingTheField) {
  v1::Task task = T2Task();
  task.clear_call_ended_at();
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).field(), "call_ended_at");
  EXPECT_EQ(r.violations(0).severity(), v1::WARNING);
  task.clear_created_at();
  EXPECT_THAT(Violated(task), ::testing::ElementsAre(
                                  "ms.t2_task.created_after_call",
                                  "ms.t2_task.created_after_call"));
}

TEST_F(ValidateTest, OtherTaskKindsAreRefused) {
  v1::PluginValidateRequest request;
  request.mutable_task()->set_kind(v1::T3_TASK);
  v1::PluginValidateResponse response;
  EXPECT_FALSE(plugin_.Validate(request, &response).ok());
}

}  // namespace
}  // namespace escalation::membership_services

namespace escalation::membership_services {
namespace {

std::vector<std::string> ErrorFields(const v1::PluginValidateResponse& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations()) {
    if (v.severity() == v1::ERROR) out.push_back(v.field());
  }
  return out;
}

// Issue 9: the record type places a T2 task whatever its origin; without
// origin or Category, the result says which checks did not apply.
TEST_F(ValidateTest, AT2TaskNamedByItsTypeIsCheckedWithoutAnOrigin) {
  v1::Task task = T2Task(v1::DEPARTMENT_UNSPECIFIED);
  task.set_record_type(kT2TaskType);
  task.clear_category();
  v1::PluginValidateResponse r = Validate(task);
  EXPECT_THAT(ErrorFields(r), Contains("category"));
  EXPECT_THAT(r.violations(0).message(), HasSubstr("Membership Services or Retention"));
  task.clear_resolution_reasons();
  EXPECT_THAT(ErrorFields(Validate(task)), Contains("resolution_reasons"));
}

TEST_F(ValidateTest, AnUnplacedT2TaskSaysTheOriginIsNotKnown) {
  v1::Task task = T2Task(v1::DEPARTMENT_UNSPECIFIED);
  task.set_category("Billing");
  v1::PluginValidateResponse r = Validate(task);
  EXPECT_THAT(r.violations(), IsEmpty());
  ASSERT_EQ(r.findings_size(), 1);
  EXPECT_EQ(r.findings(0).code(), "not_known");
  EXPECT_THAT(r.findings(0).message(),
              HasSubstr("not known: origin_department; if the call was a live "
                        "transfer from Membership Services or Retention"));
  // A known other origin: the article does not apply, nothing is unknown.
  task.set_origin_department(v1::CUSTOMER_SERVICE);
  EXPECT_EQ(Validate(task).findings_size(), 0);
}

TEST_F(ValidateTest, AClientCategoryIsQuotedToAHundredBytes) {
  v1::Task task = T2Task();
  task.set_category(std::string(1000, 'c'));
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_FALSE(r.violations().empty());
  EXPECT_LT(r.violations(0).message().size(), 250u);
}

}  // namespace
}  // namespace escalation::membership_services
