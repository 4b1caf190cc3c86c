// Partial matching of an expected JSON value against an actual one, as the
// policy case files define it (docs/policy-cases.md):
//   - an object matches when every key it gives matches (others are ignored);
//     keys compare in lowerCamelCase, so "rule_id" and "ruleId" are one key;
//   - an array matches when its elements match, in order, a subsequence of the
//     actual array's elements; an empty array matches only an empty one
//     ("none"), never any array;
//   - an empty object matches any object: it says the key is present (the
//     JSON mapping leaves an unset message out);
//   - scalars compare exactly, except that two RFC 3339 instants or two
//     durations ("181s") compare by value, and a number matches a string
//     holding the same number (the JSON mapping writes 64-bit integers so).
#ifndef ESCALATION_TOOLS_POLICY_TEST_JSON_MATCH_H_
#define ESCALATION_TOOLS_POLICY_TEST_JSON_MATCH_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace escalation::policy_test {

// One place where the actual value differs from the expected one.
struct Mismatch {
  std::string path;      // JSON path in the actual value, e.g. "decision.scripts[2].text".
  std::string expected;  // Compact JSON.
  std::string actual;    // Compact JSON, or a description such as "(absent)".
  std::string note;      // How an array element was paired, when that matters.
};

// Every mismatch of `expected` against `actual`; empty when they match.
// `path` prefixes the reported paths.
std::vector<Mismatch> MatchPartial(const google::protobuf::Value& expected,
                                   const google::protobuf::Value& actual,
                                   const std::string& path = "");

// "rule_id" -> "ruleId"; "ruleId" unchanged.
std::string LowerCamel(absl::string_view key);

// Compact JSON text of `value`.
std::string ToJson(const google::protobuf::Value& value);

}  // namespace escalation::policy_test

#endif  // ESCALATION_TOOLS_POLICY_TEST_JSON_MATCH_H_
