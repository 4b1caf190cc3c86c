#include "tools/policy_test/case_file.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::policy_test {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& json) {
  auto cases = ParseCaseFile("cases/x.json", json);
  EXPECT_FALSE(cases.ok()) << json;
  EXPECT_EQ(cases.status().code(), absl::StatusCode::kInvalidArgument) << json;
  return std::string(cases.status().message());
}

TEST(CaseFileTest, ParsesTheDocumentedExample) {
  auto cases = ParseCaseFile("x.json", R"({"cases": [
    {"name": "cancel", "route": {"call": {"department": "CUSTOMER_SERVICE",
       "reasons": ["CANCEL_CONTRACT"]}, "evaluationTime": "2026-11-23T15:00:00Z"},
     "expect": {"decision": {"action": "TRANSFER", "destination": "RETENTION"}},
     "expect_rules": ["cs.retention.cancel"], "expect_absent_rules": ["cs.resolve.update_zip"]},
    {"name": "two reasons", "validate": {"task": {"kind": "T2_TASK",
       "resolution_reasons": ["A", "B"]}},
     "expect": {"valid": false, "violations": [{"field": "resolution_reasons"}]}},
    {"name": "unknown site", "route": {"call": {"department": "CUSTOMER_SERVICE"}},
     "expect_error": {"code": "INVALID_ARGUMENT", "message_contains": "nowhere"}}]})");
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_EQ(cases->size(), 3u);
  const PolicyCase& cancel = (*cases)[0];
  ASSERT_TRUE(cancel.route.has_value());
  EXPECT_FALSE(cancel.validate.has_value());
  EXPECT_EQ(cancel.route->call().reasons(0), v1::CANCEL_CONTRACT);
  EXPECT_EQ(cancel.route->evaluation_time().seconds(), 1795446000);
  EXPECT_EQ(cancel.expect_rules, std::vector<std::string>{"cs.retention.cancel"});
  EXPECT_EQ(cancel.expect_absent_rules, std::vector<std::string>{"cs.resolve.update_zip"});
  ASSERT_TRUE((*cases)[1].validate.has_value());
  EXPECT_EQ((*cases)[1].validate->task().resolution_reasons_size(), 2);
  ASSERT_TRUE((*cases)[2].expect_error.has_value());
  EXPECT_EQ((*cases)[2].expect_error->code, absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*cases)[2].expect_error->message_contains, "nowhere");
}

TEST(CaseFileTest, RefusesAnUnknownKeyNamingFileAndCase) {
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {}, "expect_rule": ["x"]}]})"),
              HasSubstr("cases/x.json: case \"n\" unknown key \"expect_rule\""));
}

TEST(CaseFileTest, RefusesACaseWithoutAName) {
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "a", "route": {}, "expect_rules": ["r"]},
                                     {"route": {}, "expect_rules": ["r"]}]})"),
              HasSubstr("cases/x.json: case #2 has no \"name\""));
}

TEST(CaseFileTest, RefusesBothOrNeitherRequest) {
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {}, "validate": {},
                                     "expect_rules": ["r"]}]})"),
              HasSubstr("case \"n\" must have exactly one of \"route\" and \"validate\""));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "expect_rules": ["r"]}]})"),
              HasSubstr("exactly one of"));
}

TEST(CaseFileTest, RefusesRequestsAndExpectationsThatDoNotFitTheApi) {
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {"call": {"departmnt": 1}},
                                     "expect": {}}]})"),
              HasSubstr("case \"n\" has a \"route\" that is not a RouteRequest"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {},
                                     "expect": {"decision": {"action": "TRANSFERR"}}}]})"),
              HasSubstr("has a \"expect\" that is not a RouteResponse"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "validate": {},
                                     "expect": {"decision": {}}}]})"),
              HasSubstr("not a ValidateTaskResponse"));
}

TEST(CaseFileTest, RefusesCasesThatCheckNothingOrTooMuch) {
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {}}]})"), HasSubstr("checks nothing"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {}, "expect_rules": ["r"],
                                     "expect_error": {"code": "INTERNAL"}}]})"),
              HasSubstr("cannot be combined"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {},
                                     "expect_error": {"code": "BROKEN"}}]})"),
              HasSubstr("not a gRPC status name"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {},
                                     "expect_error": {"code": "INTERNAL", "msg": "x"}}]})"),
              HasSubstr("unknown key \"msg\""));
}

// Forms that every answer would pass are refused rather than run.
TEST(CaseFileTest, RefusesExpectationsThatCheckNothing) {
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {}, "expect": {}}]})"),
              HasSubstr("case \"n\" has an empty \"expect\", which every answer matches"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {}, "expect_rules": [],
                                     "expect": {"decision": {"action": "TRANSFER"}}}]})"),
              HasSubstr("case \"n\" has an empty \"expect_rules\", which checks nothing"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "validate": {}, "expect_absent_rules": [],
                                     "expect_rules": ["r"]}]})"),
              HasSubstr("has an empty \"expect_absent_rules\""));
}

TEST(CaseFileTest, RefusesMalformedFiles) {
  EXPECT_THAT(ErrorOf("{"), HasSubstr("cases/x.json: not a JSON object"));
  EXPECT_THAT(ErrorOf(R"({"case": []})"), HasSubstr("unknown top-level key \"case\""));
  EXPECT_THAT(ErrorOf(R"({})"), HasSubstr("has no \"cases\" array"));
  EXPECT_THAT(ErrorOf(R"({"cases": [{"name": "n", "route": {}, "expect_rules": ["r"]},
                                    {"name": "n", "route": {}, "expect_rules": ["r"]}]})"),
              HasSubstr("case \"n\" is a duplicate name"));
}

}  // namespace
}  // namespace escalation::policy_test

namespace escalation::policy_test {
namespace {

TEST(CaseFileTest, MarkdownExamplesAreCasesAndRequests) {
  auto cases = ParseMarkdownExamples("doc.md", R"(# A doc
```json
{"call": {"department": "CUSTOMER_SERVICE"}}
```
Some text.
```sh
not json
```
```json
{"cases": [{"name": "n", "validate": {"task": {"kind": "T2_TASK"}}, "expect": {"valid": true}}]}
```
)");
  ASSERT_TRUE(cases.ok()) << cases.status();
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[0].name, "example at line 3");
  EXPECT_TRUE((*cases)[0].route.has_value());
  EXPECT_TRUE((*cases)[0].expect_success);
  EXPECT_EQ((*cases)[1].name, "n");
  EXPECT_FALSE((*cases)[1].expect_success);
}

TEST(CaseFileTest, AMarkdownBlockThatIsNoExampleIsAnErrorNamingItsLine) {
  auto odd = ParseMarkdownExamples("doc.md", "x\n```json\n{\"nothing\": 1}\n```\n");
  EXPECT_THAT(std::string(odd.status().message()), HasSubstr("doc.md:3"));
  auto bad = ParseMarkdownExamples("doc.md", "```json\n{\"call\": {\"departmnt\": 1}}\n```\n");
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("doc.md:2: not a RouteRequest"));
  auto none = ParseMarkdownExamples("doc.md", "no examples\n");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(none.status().message(), "doc.md: has no ```json example");
}

}  // namespace
}  // namespace escalation::policy_test
