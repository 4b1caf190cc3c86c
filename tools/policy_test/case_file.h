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
  // Set for a request example of a document: the call must only succeed.
  bool expect_success = false;
};

// Parses the JSON text of a case file. Every error names `file` and, where
// there is one, the case (by name or, before the name is known, by index):
// malformed JSON, an unknown key, a missing or duplicate name, both or neither
// of route/validate, a request or expectation that does not fit the API,
// a case that checks nothing (no expectation, an empty "expect" object, an
// empty "expect_rules" or "expect_absent_rules"), an unknown status code name.
absl::StatusOr<std::vector<PolicyCase>> ParseCaseFile(const std::string& file,
                                                      const std::string& json);

// The examples of a Markdown document (`markdown` is its text), so docs
// cannot drift from the plugins: every ```json block is a case file (an
// object with "cases"), a RouteRequest (with "call") or a ValidateTaskRequest
// (with "task"); a request becomes a case that must succeed, named
// "example at line N". A block that is none of these is an error naming its
// line; a document without a json block is an error too.
absl::StatusOr<std::vector<PolicyCase>> ParseMarkdownExamples(
    const std::string& file, const std::string& markdown);

// Reads and parses one file: a *.md file as ParseMarkdownExamples, any other
// as a case file.
absl::StatusOr<std::vector<PolicyCase>> LoadCaseFile(const std::string& file);

// `path` itself when it is a file (a case file or a *.md document); every
// *.json under it (recursively, in name order) when it is a directory.
absl::StatusOr<std::vector<std::string>> FindCaseFiles(const std::string& path);

}  // namespace escalation::policy_test

#endif  // ESCALATION_TOOLS_POLICY_TEST_CASE_FILE_H_
