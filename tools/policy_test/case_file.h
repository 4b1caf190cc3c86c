// Reading policy case files (docs/policy-cases.md) into checked cases.
#ifndef ESCALATION_TOOLS_POLICY_TEST_CASE_FILE_H_
#define ESCALATION_TOOLS_POLICY_TEST_CASE_FILE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/struct.pb.h"

namespace escalation::policy_test {

struct ExpectedError {
  absl::StatusCode code;
  std::string message_contains;
};

struct PolicyCase {
  std::string file;
  std::string name;
  // Exactly one of the two is set, as the case gave "route" or "validate".
  std::optional<v1::RouteRequest> route;
  std::optional<v1::ValidateTaskRequest> validate;
  std::optional<google::protobuf::Value> expect;  // A partial response.
  std::vector<std::string> expect_rules;
  std::vector<std::string> expect_absent_rules;
  std::optional<ExpectedError> expect_error;
};

// Parses the JSON text of a case file. Every error names `file` and, where
// there is one, the case (by name or, before the name is known, by index):
// malformed JSON, an unknown key, a missing or duplicate name, both or neither
// of route/validate, a request or expectation that does not fit the API,
// a case that checks nothing, an unknown status code name.
absl::StatusOr<std::vector<PolicyCase>> ParseCaseFile(const std::string& file,
                                                      const std::string& json);

// Reads and parses one file.
absl::StatusOr<std::vector<PolicyCase>> LoadCaseFile(const std::string& file);

// `path` itself when it is a file; every *.json under it (recursively, in
// name order) when it is a directory.
absl::StatusOr<std::vector<std::string>> FindCaseFiles(const std::string& path);

}  // namespace escalation::policy_test

#endif  // ESCALATION_TOOLS_POLICY_TEST_CASE_FILE_H_
