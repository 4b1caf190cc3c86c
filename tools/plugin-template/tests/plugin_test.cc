// Each rule of the example department: a case where it applies and a close
// case where it must not. Expected words are written out here.
#include "fixture.h"

namespace example {
namespace {

using ::escalation::sdk::testing::RuleIds;
using ::escalation::sdk::testing::RuleIdsOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_F(PluginTest, ACustomerWhoRefusesInformationHearsTheScriptWithTheirName) {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  call.set_customer_refuses_information(true);
  call.set_customer_name("Ada");
  v1::PluginRouteResponse r = Route(call);
  ASSERT_EQ(r.proposals_size(), 1);
  EXPECT_EQ(r.proposals(0).priority(), v1::RESOLVE_IN_DEPARTMENT);
  const v1::Decision& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.summary(), "Ask for the information before contacting a supervisor.");
  ASSERT_EQ(d.scripts_size(), 1);
  EXPECT_EQ(d.scripts(0).text(), "Ada I understand your concern.");
  EXPECT_THAT(RuleIds(d), ElementsAre("example.refuses_information"));
}

TEST_F(PluginTest, NoScriptWhenTheCustomerGivesInformationOrItIsNotKnown) {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  EXPECT_THAT(Route(call).proposals(), IsEmpty());
  call.set_customer_refuses_information(false);
  EXPECT_THAT(Route(call).proposals(), IsEmpty());
}

TEST_F(PluginTest, AT3TaskThatNamesNoTaskGetsAWarning) {
  v1::Task task;
  task.set_kind(v1::T3_TASK);
  v1::PluginValidateResponse r = Validate(task);
  ASSERT_EQ(r.violations_size(), 1);
  EXPECT_EQ(r.violations(0).field(), "linked_task_ids");
  EXPECT_EQ(r.violations(0).severity(), v1::WARNING);
  task.add_linked_task_ids("T2-1001");
  EXPECT_THAT(Validate(task).violations(), IsEmpty());
  EXPECT_THAT(RuleIdsOf(Validate(task).checked_rules()), ElementsAre("example.t3_task.linked_task"));
}

TEST_F(PluginTest, AnUnknownConfigurationKeyIsRefusedNamingIt) {
  google::protobuf::Struct config;
  (*config.mutable_fields())["refuses_information_scritp"].set_string_value("x");
  absl::Status s = plugin_.Configure(config);
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("refuses_information_scritp"));
}

}  // namespace
}  // namespace example
