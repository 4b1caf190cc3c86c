// Helpers shared by the TS&R unit tests.
#ifndef PLUGINS_TELESALES_RETENTION_TESTS_TEST_UTIL_H_
#define PLUGINS_TELESALES_RETENTION_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "escalation/sdk/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugin.h"

namespace escalation::telesales_retention::testing_util {

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

inline const absl::Time kNow = At("2026-11-23T15:00:00Z");

inline std::vector<std::string> RuleIds(const v1::Decision& d) {
  std::vector<std::string> ids;
  for (const auto& r : d.matched_rules()) ids.push_back(r.rule_id());
  return ids;
}

inline std::vector<std::string> StepTexts(const v1::Decision& d) {
  std::vector<std::string> out;
  for (const auto& s : d.steps()) out.push_back(s.text());
  return out;
}

}  // namespace escalation::telesales_retention::testing_util

#endif  // PLUGINS_TELESALES_RETENTION_TESTS_TEST_UTIL_H_
