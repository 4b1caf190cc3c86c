// Quoting a client's value, "not known" notes and supervisor permissions.
#include "escalation/sdk/facts.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::sdk {
namespace {

const Rule kRule{"x.rule", "A rule", "An article"};

TEST(QuoteTest, ShortValuesWholeLongOnesCutAtACharacterBoundary) {
  EXPECT_EQ(Quote("tampa"), "tampa");
  EXPECT_EQ(Quote(std::string(100, 'a')), std::string(100, 'a'));
  EXPECT_EQ(Quote(std::string(101, 'a')), std::string(100, 'a') + "...");
  // 99 ASCII bytes then "é" (2 bytes): byte 100 is inside it, so cut before it.
  const std::string accented = std::string(99, 'a') + "\xC3\xA9" + "zzz";
  EXPECT_EQ(Quote(accented), std::string(99, 'a') + "...");
}

TEST(NoteNotKnownTest, SaysTheFactAndWhatWouldFollow) {
  v1::Decision d;
  NoteNotKnown(kRule, "call.site", "call.site is set", "the steps name it", &d);
  ASSERT_EQ(d.notes_size(), 1);
  EXPECT_EQ(d.notes(0), "not known: call.site; if call.site is set, then the steps name it.");
  EXPECT_EQ(d.matched_rules(0).rule_id(), "x.rule");
  v1::PluginValidateResponse r;
  FindingNotKnown(kRule, "created_at", "a", "b", &r);
  EXPECT_EQ(r.findings(0).code(), "not_known");
  EXPECT_EQ(r.checked_rules_size(), 0);  // The rule did not apply.
}

TEST(PermissionTest, ListsWinAndSupervisorApprovedAnswersForTier2Only) {
  v1::CallFacts call;
  EXPECT_EQ(PermissionAnswer(call, v1::PERMISSION_TIER2_CONTACT), std::nullopt);
  call.set_supervisor_approved(true);
  EXPECT_EQ(PermissionAnswer(call, v1::PERMISSION_TIER2_CONTACT), true);
  EXPECT_EQ(PermissionAnswer(call, v1::PERMISSION_CALL_BACK_EXCEPTION), std::nullopt);
  call.add_supervisor_permissions_refused(v1::PERMISSION_TIER2_CONTACT);
  EXPECT_EQ(PermissionAnswer(call, v1::PERMISSION_TIER2_CONTACT), false);
  call.add_supervisor_permissions_given(v1::PERMISSION_CALL_BACK_EXCEPTION);
  EXPECT_EQ(PermissionAnswer(call, v1::PERMISSION_CALL_BACK_EXCEPTION), true);
  EXPECT_TRUE(CheckPermissionFacts(call).ok());
}

TEST(PermissionTest, BothListsOrUnspecifiedAreRefusedNamingTheField) {
  v1::CallFacts call;
  call.add_supervisor_permissions_given(v1::PERMISSION_TIER2_CONTACT);
  call.add_supervisor_permissions_refused(v1::PERMISSION_TIER2_CONTACT);
  absl::Status s = CheckPermissionFacts(call);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("both name PERMISSION_TIER2_CONTACT"));
  v1::CallFacts unspecified;
  unspecified.add_supervisor_permissions_refused(v1::PERMISSION_UNSPECIFIED);
  EXPECT_THAT(std::string(CheckPermissionFacts(unspecified).message()),
              ::testing::HasSubstr("call.supervisor_permissions_refused"));
}

TEST(PermissionTest, RequirePermissionMarksTheRouteOnceWithTheAnswer) {
  v1::CallFacts call;
  call.add_supervisor_permissions_given(v1::PERMISSION_CALL_BACK_EXCEPTION);
  v1::Decision d;
  RequirePermission(kRule, v1::PERMISSION_CALL_BACK_EXCEPTION, call, &d);
  RequirePermission(kRule, v1::PERMISSION_CALL_BACK_EXCEPTION, call, &d);
  RequirePermission(kRule, v1::PERMISSION_TIER2_CONTACT, call, &d);
  EXPECT_TRUE(d.requires_supervisor_approval());
  ASSERT_EQ(d.supervisor_permissions_size(), 2);
  EXPECT_TRUE(d.supervisor_permissions(0).given());
  EXPECT_EQ(d.supervisor_permissions(0).rule_id(), "x.rule");
  EXPECT_FALSE(d.supervisor_permissions(1).has_given());
}

}  // namespace
}  // namespace escalation::sdk
