// Small helpers for a plugin's own unit tests (header only; uses nothing but
// the SDK and Abseil).
#ifndef ESCALATION_SDK_TESTING_H_
#define ESCALATION_SDK_TESTING_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "escalation/v1/decision.pb.h"

namespace escalation::sdk::testing {

// The instant an RFC 3339 literal names, e.g. "2026-11-21T21:29:00Z". A
// malformed literal gives InfinitePast, which no expectation will match.
inline absl::Time At(const char* rfc3339) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) {
    return absl::InfinitePast();
  }
  return t;
}

// The rule ids of matched rules, violations or findings, in order.
template <typename Items>
std::vector<std::string> RuleIdsOf(const Items& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.rule_id());
  return ids;
}

inline std::vector<std::string> RuleIds(const ::escalation::v1::Decision& d) {
  return RuleIdsOf(d.matched_rules());
}

inline std::vector<std::string> StepTexts(const ::escalation::v1::Decision& d) {
  std::vector<std::string> texts;
  for (const auto& step : d.steps()) texts.push_back(step.text());
  return texts;
}

}  // namespace escalation::sdk::testing

#endif  // ESCALATION_SDK_TESTING_H_
