#include "tools/policy_test/case_check.h"

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace escalation::policy_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

PolicyCase OnlyCase(const std::string& json) {
  auto cases = ParseCaseFile("x.json", absl::StrCat(R"({"cases": [)", json, "]}"));
  EXPECT_TRUE(cases.ok()) << cases.status();
  return cases.ok() ? cases->front() : PolicyCase{};
}

v1::RouteResponse Retention() {
  v1::RouteResponse response;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    decision {
      action: TRANSFER destination: RETENTION
      matched_rules { rule_id: "cs.retention.cancel" }
      matched_rules { rule_id: "cs.disclosure" }
    })pb", &response));
  return response;
}

TEST(CaseCheckTest, PassesAMatchingAnswer) {
  const PolicyCase c = OnlyCase(R"({"name": "n", "route": {},
      "expect": {"decision": {"action": "TRANSFER", "requiresSupervisorApproval": false}},
      "expect_rules": ["cs.disclosure"], "expect_absent_rules": ["cs.other"]})");
  const auto response = Retention();
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &response), IsEmpty());
}

TEST(CaseCheckTest, ExplainsEachDifference) {
  const PolicyCase c = OnlyCase(R"({"name": "n", "route": {},
      "expect": {"decision": {"destination": "LEADERSHIP_DESK"}},
      "expect_rules": ["cs.missing"], "expect_absent_rules": ["cs.disclosure"]})");
  const auto response = Retention();
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &response),
              ElementsAre(HasSubstr("at decision.destination\n    expected: \"LEADERSHIP_DESK\""
                                    "\n    actual:   \"RETENTION\""),
                          HasSubstr("rule cs.missing expected among the matched rules\n"
                                    "    actual: [cs.disclosure, cs.retention.cancel]"),
                          HasSubstr("rule cs.disclosure must not be among")));
}

TEST(CaseCheckTest, ValidationRulesIncludeViolations) {
  const PolicyCase c = OnlyCase(R"({"name": "n", "validate": {},
      "expect": {"valid": false}, "expect_rules": ["ms.one_reason"]})");
  v1::ValidateTaskResponse response;
  response.add_violations()->set_rule_id("ms.one_reason");
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &response), IsEmpty());
  response.set_valid(true);
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &response),
              ElementsAre(HasSubstr("at valid")));
}

TEST(CaseCheckTest, AnEmptyListExpectsNone) {
  const PolicyCase c = OnlyCase(R"({"name": "n", "route": {},
      "expect": {"decision": {"scripts": [], "matchedRules": []}}})");
  const auto retention = Retention();
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &retention),
              ElementsAre(HasSubstr("at decision.matchedRules  ([] means none")));
  v1::RouteResponse none;
  none.mutable_decision()->set_action(v1::TRANSFER);
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &none), IsEmpty());
}

TEST(CaseCheckTest, ExpectedErrors) {
  const PolicyCase c = OnlyCase(R"({"name": "n", "route": {},
      "expect_error": {"code": "INVALID_ARGUMENT", "message_contains": "department"}})");
  EXPECT_THAT(CheckOutcome(c, absl::InvalidArgumentError("call.department is missing"), nullptr),
              IsEmpty());
  EXPECT_THAT(CheckOutcome(c, absl::InvalidArgumentError("call.site"), nullptr),
              ElementsAre(HasSubstr("actual: INVALID_ARGUMENT: call.site")));
  EXPECT_THAT(CheckOutcome(c, absl::InternalError("department"), nullptr),
              ElementsAre(HasSubstr("actual: INTERNAL: department")));
  const auto response = Retention();
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &response),
              ElementsAre(HasSubstr("actual: it succeeded")));
}

TEST(CaseCheckTest, AnUnexpectedErrorFails) {
  const PolicyCase c = OnlyCase(R"({"name": "n", "route": {}, "expect": {"decision": {}}})");
  EXPECT_THAT(CheckOutcome(c, absl::FailedPreconditionError("no plugin"), nullptr),
              ElementsAre(HasSubstr("the call failed: FAILED_PRECONDITION: no plugin")));
}

}  // namespace
}  // namespace escalation::policy_test

namespace escalation::policy_test {
namespace {

TEST(CaseCheckTest, AnUnknownRuleIdInAnyExpectationIsRefusedNamingCaseAndId) {
  const PolicyCase c = OnlyCase(R"({"name": "typo",
      "route": {"call": {"department": "CUSTOMER_SERVICE"}},
      "expect": {"decision": {"steps": [{"ruleId": "cs.nope.steps"}]}},
      "expect_rules": ["cs.retention.cancel"],
      "expect_absent_rules": ["cs.retention.cancle"]})");
  const std::vector<std::string> failures =
      CheckRuleIdsDeclared(c, {"cs.retention.cancel"});
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_THAT(failures[0], HasSubstr("unknown rule id \"cs.retention.cancle\" in "
                                     "expect_absent_rules of case \"typo\""));
  EXPECT_THAT(failures[1], HasSubstr("\"cs.nope.steps\" in expect"));
  EXPECT_THAT(CheckRuleIdsDeclared(c, {"cs.retention.cancel", "cs.retention.cancle",
                                       "cs.nope.steps"}),
              IsEmpty());
}

TEST(CaseCheckTest, ARequiredRecordMustNameADeclaredRecordType) {
  v1::RouteResponse response;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
    decision {
      required_records { kind: JOB_NOTE rule_id: "ld.x" record_type: "ld_plugin.note" }
      required_records { kind: T2_TASK rule_id: "ms.y" }
    })pb", &response));
  EXPECT_THAT(CheckRecordTypesDeclared(response, {"ld_plugin.note"}),
              ElementsAre(HasSubstr("T2_TASK (rule ms.y) names no record type")));
  EXPECT_THAT(CheckRecordTypesDeclared(response, {}),
              ElementsAre(HasSubstr("\"ld_plugin.note\", which no loaded plugin declares"),
                          HasSubstr("names no record type")));
}

TEST(CaseCheckTest, ADocumentRequestOnlyHasToSucceed) {
  PolicyCase c;
  c.name = "example at line 3";
  c.route.emplace();
  c.expect_success = true;
  const v1::RouteResponse any;
  EXPECT_THAT(CheckOutcome(c, absl::OkStatus(), &any), IsEmpty());
  EXPECT_THAT(CheckOutcome(c, absl::InvalidArgumentError("call.department: required"), nullptr),
              ElementsAre(HasSubstr("the call failed")));
}

}  // namespace
}  // namespace escalation::policy_test
