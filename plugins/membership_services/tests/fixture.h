// The one fixture of the Membership Services unit tests: the plugin, configured.
#ifndef PLUGINS_MEMBERSHIP_SERVICES_TESTS_FIXTURE_H_
#define PLUGINS_MEMBERSHIP_SERVICES_TESTS_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "escalation/sdk/testing.h"
#include "escalation/sdk/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugin.h"

namespace escalation::membership_services::testing_util {

namespace v1 = ::escalation::v1;
using ::escalation::sdk::testing::At;
using ::escalation::sdk::testing::RuleIds;
using ::escalation::sdk::testing::RuleIdsOf;
using ::escalation::sdk::testing::StepTexts;

// A plugin configured as the server would configure it.
class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(plugin_.load_status().ok()) << plugin_.load_status();
    ASSERT_TRUE(plugin_.Configure(google::protobuf::Struct()).ok());
  }
  MembershipServicesPlugin plugin_;
};

}  // namespace escalation::membership_services::testing_util

#endif  // PLUGINS_MEMBERSHIP_SERVICES_TESTS_FIXTURE_H_
