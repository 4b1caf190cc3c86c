// Small helpers for a plugin's own unit tests (header only; uses nothing but
// the SDK and Abseil).
#ifndef ESCALATION_SDK_TESTING_H_
#define ESCALATION_SDK_TESTING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/time.h"
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

// Calls a plugin's hooks as the server does, with the evaluation instant `now`.
inline absl::StatusOr<v1::PluginRouteResponse> RouteAt(const Plugin& plugin,
                                                        const v1::CallFacts& call,
                                                        absl::Time now) {
  v1::PluginRouteRequest request;
  *request.mutable_call() = call;
  *request.mutable_evaluation_time() = ToProto(now);
  v1::PluginRouteResponse response;
  if (absl::Status s = plugin.Route(request, &response); !s.ok()) return s;
  return response;
}

inline absl::StatusOr<v1::PluginValidateResponse> ValidateAt(const Plugin& plugin,
                                                              const v1::Task& task,
                                                              absl::Time now) {
  v1::PluginValidateRequest request;
  *request.mutable_task() = task;
  *request.mutable_evaluation_time() = ToProto(now);
  v1::PluginValidateResponse response;
  if (absl::Status s = plugin.Validate(request, &response); !s.ok()) return s;
  return response;
}

}  // namespace escalation::sdk::testing

#endif  // ESCALATION_SDK_TESTING_H_
