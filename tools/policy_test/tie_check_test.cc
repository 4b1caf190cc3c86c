#include "tools/policy_test/tie_check.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::policy_test {
namespace {

PluginProposals Answer(const std::string& plugin, v1::Priority priority, v1::Action action,
                       v1::Decision::Destination destination) {
  PluginProposals a{plugin, {}};
  v1::Proposal* p = a.response.add_proposals();
  p->set_priority(priority);
  p->mutable_decision()->set_action(action);
  p->mutable_decision()->set_destination(destination);
  return a;
}

TEST(TieCheckTest, TwoPluginsAtTheTopWithDifferentOutcomesWarn) {
  auto warning = TopPriorityTie(
      {Answer("a_dept", v1::TIER2_SITUATION, v1::TRANSFER, v1::Decision::TIER2),
       Answer("b_dept", v1::TIER2_SITUATION, v1::TRANSFER, v1::Decision::RETENTION)});
  ASSERT_TRUE(warning.has_value());
  EXPECT_THAT(*warning, ::testing::HasSubstr("a_dept (TRANSFER to TIER2) and b_dept "
                                             "(TRANSFER to RETENTION)"));
  EXPECT_THAT(*warning, ::testing::HasSubstr("ordered by file name"));
}

TEST(TieCheckTest, NoWarningForOneOutcomeALowerTieOrOnePlugin) {
  EXPECT_FALSE(TopPriorityTie(
      {Answer("a", v1::TIER2_SITUATION, v1::TRANSFER, v1::Decision::TIER2),
       Answer("b", v1::TIER2_SITUATION, v1::TRANSFER, v1::Decision::TIER2)}));
  EXPECT_FALSE(TopPriorityTie(
      {Answer("a", v1::SAFETY_PROTOCOL, v1::FOLLOW_PROTOCOL, v1::Decision::RISK_PROTOCOL),
       Answer("b", v1::TIER2_SITUATION, v1::TRANSFER, v1::Decision::TIER2),
       Answer("c", v1::TIER2_SITUATION, v1::TRANSFER, v1::Decision::RETENTION)}));
  EXPECT_FALSE(TopPriorityTie({Answer("a", v1::TIER2_SITUATION, v1::TRANSFER,
                                      v1::Decision::TIER2)}));
}

}  // namespace
}  // namespace escalation::policy_test
