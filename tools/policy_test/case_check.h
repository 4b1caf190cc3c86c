// Judges the outcome of one policy case: the engine's answer (or error)
// against the case's expectations. Kept apart from running the engine so the
// judgement is unit-tested without plugins.
#ifndef ESCALATION_TOOLS_POLICY_TEST_CASE_CHECK_H_
#define ESCALATION_TOOLS_POLICY_TEST_CASE_CHECK_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "tools/policy_test/case_file.h"

namespace escalation::policy_test {

// Each failure is a readable, multi-line explanation; none means the case passed.
std::vector<std::string> CheckOutcome(const PolicyCase& policy_case,
                                      const absl::Status& status,
                                      const google::protobuf::Message* response);

// The answer a failing case is shown beside its expectations: the response
// in the protobuf JSON mapping (every field, as the matcher sees it), or the
// error, each line indented by four spaces and ending in a newline.
std::string DescribeAnswer(const absl::Status& status,
                           const google::protobuf::Message* response);

// Every rule id a case's expectations name (expect_rules,
// expect_absent_rules, and each "ruleId" / "rule_id" inside expect) that is
// not in `declared`, each as a failure naming the expectation and the id.
std::vector<std::string> CheckRuleIdsDeclared(const PolicyCase& policy_case,
                                              const std::set<std::string>& declared);

// Every required record of a route answer must name a record type some loaded
// plugin declares (`declared`): one failure per record that does not.
std::vector<std::string> CheckRecordTypesDeclared(const google::protobuf::Message& response,
                                                  const std::set<std::string>& declared);

}  // namespace escalation::policy_test

#endif  // ESCALATION_TOOLS_POLICY_TEST_CASE_CHECK_H_
