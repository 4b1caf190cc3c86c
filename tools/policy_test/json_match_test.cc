#include "tools/policy_test/json_match.h"

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace escalation::policy_test {
namespace {

google::protobuf::Value Json(const std::string& text) {
  google::protobuf::Value value;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text, &value).ok()) << text;
  return value;
}

std::vector<Mismatch> Match(const std::string& expected, const std::string& actual) {
  return MatchPartial(Json(expected), Json(actual));
}

const char kActual[] = R"({
  "decision": {
    "action": "TRANSFER", "destination": "RETENTION", "requiresSupervisorApproval": false,
    "scripts": [{"id": "a", "text": "one"}, {"id": "b", "text": "two"}, {"id": "c", "text": "three"}],
    "matchedRules": [{"ruleId": "cs.x"}, {"ruleId": "cs.y"}]
  },
  "evaluationTime": "2026-11-23T15:00:00Z",
  "wait": "181s",
  "count": "12"
})";

TEST(JsonMatchTest, KeysNotGivenAreIgnored) {
  EXPECT_TRUE(Match(R"({"decision": {"action": "TRANSFER"}})", kActual).empty());
  EXPECT_TRUE(Match(R"({})", kActual).empty());
}

TEST(JsonMatchTest, SnakeCaseKeysMatchCamelCase) {
  EXPECT_TRUE(Match(R"({"decision": {"requires_supervisor_approval": false,
                       "matched_rules": [{"rule_id": "cs.y"}]}})", kActual).empty());
}

TEST(JsonMatchTest, ADifferentScalarIsReportedAtItsPath) {
  auto mismatches = Match(R"({"decision": {"destination": "LEADERSHIP_DESK"}})", kActual);
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].path, "decision.destination");
  EXPECT_EQ(mismatches[0].expected, "\"LEADERSHIP_DESK\"");
  EXPECT_EQ(mismatches[0].actual, "\"RETENTION\"");
}

TEST(JsonMatchTest, AnAbsentKeyIsReported) {
  auto mismatches = Match(R"({"decision": {"callback": {"summary": "x"}}})", kActual);
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].path, "decision.callback");
  EXPECT_EQ(mismatches[0].actual, "(absent)");
}

TEST(JsonMatchTest, BooleansDoNotMatchTheirAbsenceOrStrings) {
  EXPECT_EQ(Match(R"({"decision": {"requiresSupervisorApproval": true}})", kActual).size(), 1u);
  EXPECT_EQ(Match(R"({"valid": false})", R"({})").size(), 1u);
  EXPECT_EQ(Match(R"({"valid": false})", R"({"valid": "false"})").size(), 1u);
}

TEST(JsonMatchTest, ArraysMatchAnInOrderSubsequence) {
  EXPECT_TRUE(Match(R"({"decision": {"scripts": [{"id": "a"}, {"id": "c"}]}})", kActual).empty());
  EXPECT_TRUE(Match(R"({"decision": {"scripts": [{"text": "two"}]}})", kActual).empty());
}

TEST(JsonMatchTest, AnEmptyArrayMeansNone) {
  auto mismatches = Match(R"({"decision": {"scripts": []}})", kActual);
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].path, "decision.scripts");
  EXPECT_EQ(mismatches[0].expected, "[]");
  EXPECT_NE(mismatches[0].actual.find("\"three\""), std::string::npos) << mismatches[0].actual;
  EXPECT_NE(mismatches[0].note.find("[] means none"), std::string::npos);
  EXPECT_TRUE(Match(R"({"scripts": []})", R"({"scripts": []})").empty());
  EXPECT_FALSE(Match(R"([[]])", R"([[1]])").empty());  // Nested too.
  EXPECT_TRUE(Match(R"([[]])", R"([[1], []])").empty());
}

TEST(JsonMatchTest, ArraysOutOfOrderDoNotMatch) {
  auto mismatches = Match(R"({"decision": {"scripts": [{"id": "c"}, {"id": "a"}]}})", kActual);
  ASSERT_FALSE(mismatches.empty());
  EXPECT_NE(mismatches[0].note.find("expected element [1] of decision.scripts"),
            std::string::npos) << mismatches[0].note;
  EXPECT_EQ(mismatches[0].actual, "(no element left; the actual array has 3)");
}

TEST(JsonMatchTest, AMissingElementIsReportedAgainstTheClosestOne) {
  auto mismatches = Match(
      R"({"decision": {"scripts": [{"id": "b", "text": "TWO"}]}})", kActual);
  ASSERT_EQ(mismatches.size(), 1u);
  EXPECT_EQ(mismatches[0].path, "decision.scripts[1].text");
  EXPECT_EQ(mismatches[0].expected, "\"TWO\"");
  EXPECT_EQ(mismatches[0].actual, "\"two\"");
  EXPECT_NE(mismatches[0].note.find("closest is [1]"), std::string::npos);
}

TEST(JsonMatchTest, AnElementMatchesOnlyOnce) {
  EXPECT_FALSE(Match(R"([{"id": "a"}, {"id": "a"}])", R"([{"id": "a"}, {"id": "b"}])").empty());
  EXPECT_TRUE(Match(R"([1, 1])", R"([1, 2, 1])").empty());
}

TEST(JsonMatchTest, InstantsDurationsAndInt64StringsCompareByValue) {
  EXPECT_TRUE(Match(R"({"evaluationTime": "2026-11-23T10:00:00-05:00"})", kActual).empty());
  EXPECT_FALSE(Match(R"({"evaluationTime": "2026-11-23T10:00:00Z"})", kActual).empty());
  EXPECT_TRUE(Match(R"({"wait": "181.000s"})", kActual).empty());
  EXPECT_FALSE(Match(R"({"wait": "180s"})", kActual).empty());
  EXPECT_TRUE(Match(R"({"count": 12})", kActual).empty());
  EXPECT_FALSE(Match(R"({"count": 13})", kActual).empty());
}

TEST(JsonMatchTest, KindsMustAgree) {
  EXPECT_FALSE(Match(R"({"decision": "TRANSFER"})", kActual).empty());
  EXPECT_FALSE(Match(R"({"decision": {"scripts": {"id": "a"}}})", kActual).empty());
  EXPECT_FALSE(Match(R"({"decision": {"action": ["TRANSFER"]}})", kActual).empty());
  EXPECT_FALSE(Match(R"({"decision": {"action": null}})", kActual).empty());
}

TEST(JsonMatchTest, LowerCamel) {
  EXPECT_EQ(LowerCamel("rule_id"), "ruleId");
  EXPECT_EQ(LowerCamel("ruleId"), "ruleId");
  EXPECT_EQ(LowerCamel("live_transfer_queue_wait"), "liveTransferQueueWait");
  EXPECT_EQ(LowerCamel("_x"), "x");
}

}  // namespace
}  // namespace escalation::policy_test
