// The one fixture of the TS&R unit tests: the plugin as the server loads it.
#ifndef PLUGINS_TELESALES_RETENTION_TESTS_FIXTURE_H_
#define PLUGINS_TELESALES_RETENTION_TESTS_FIXTURE_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "escalation/sdk/testing.h"
#include "escalation/sdk/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugin.h"

namespace escalation::telesales_retention::testing_util {

namespace v1 = ::escalation::v1;
using ::escalation::sdk::testing::At;
using ::escalation::sdk::testing::RuleIds;
using ::escalation::sdk::testing::RuleIdsOf;
using ::escalation::sdk::testing::StepTexts;

inline const absl::Time kNow = At("2026-11-23T15:00:00Z");

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(plugin_.load_status().ok()) << plugin_.load_status();
    ASSERT_TRUE(plugin_.Configure(google::protobuf::Struct()).ok());
  }
  TelesalesRetentionPlugin plugin_;
};

}  // namespace escalation::telesales_retention::testing_util

#endif  // PLUGINS_TELESALES_RETENTION_TESTS_FIXTURE_H_
