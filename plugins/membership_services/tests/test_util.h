// Helpers shared by the Membership Services unit tests.
#ifndef PLUGINS_MEMBERSHIP_SERVICES_TESTS_TEST_UTIL_H_
#define PLUGINS_MEMBERSHIP_SERVICES_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "escalation/sdk/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugin.h"

namespace escalation::membership_services::testing_util {

namespace v1 = ::escalation::v1;

inline absl::Time At(const char* rfc3339) {
  absl::Time t;
  std::string err;
  // A malformed literal gives a time no expectation can match.
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) {
    return absl::InfinitePast();
  }
  return t;
}

template <typename Items>
std::vector<std::string> RuleIdsOf(const Items& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.rule_id());
  return ids;
}

// A plugin configured as the server would configure it.
class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(plugin_.Configure(google::protobuf::Struct()).ok());
  }
  MembershipServicesPlugin plugin_;
};

}  // namespace escalation::membership_services::testing_util

#endif  // PLUGINS_MEMBERSHIP_SERVICES_TESTS_TEST_UTIL_H_
