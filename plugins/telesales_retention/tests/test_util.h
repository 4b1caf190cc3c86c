// Helpers shared by the TS&R unit tests.
#ifndef PLUGINS_TELESALES_RETENTION_TESTS_TEST_UTIL_H_
#define PLUGINS_TELESALES_RETENTION_TESTS_TEST_UTIL_H_

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

}  // namespace escalation::telesales_retention::testing_util

#endif  // PLUGINS_TELESALES_RETENTION_TESTS_TEST_UTIL_H_
