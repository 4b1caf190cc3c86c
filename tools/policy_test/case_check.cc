#include "tools/policy_test/case_check.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/util/json_util.h"
#include "tools/policy_test/json_match.h"

namespace escalation::policy_test {
namespace {

// The rule ids an answer cites: the matched rules of a decision, or the
// checked rules, violations and findings of a validation.
std::vector<std::string> CitedRules(const google::protobuf::Message& response) {
  std::vector<std::string> ids;
  if (const auto* route = dynamic_cast<const v1::RouteResponse*>(&response)) {
    for (const auto& rule : route->decision().matched_rules()) ids.push_back(rule.rule_id());
  } else if (const auto* task = dynamic_cast<const v1::ValidateTaskResponse*>(&response)) {
    for (const auto& rule : task->checked_rules()) ids.push_back(rule.rule_id());
    for (const auto& violation : task->violations()) ids.push_back(violation.rule_id());
    for (const auto& finding : task->findings()) ids.push_back(finding.rule_id());
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// The JSON mapping the matcher reads, with every field printed so that
// `"valid": false` and `"scripts": []` can match.
std::string JsonOf(const google::protobuf::Message& response, bool indented) {
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;
  print.add_whitespace = indented;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(response, &json, print);
  return json;
}

google::protobuf::Value ToValue(const google::protobuf::Message& response) {
  google::protobuf::Value value;
  (void)google::protobuf::util::JsonStringToMessage(JsonOf(response, false), &value);
  return value;
}

std::string Describe(const Mismatch& mismatch) {
  std::string text = absl::StrCat("at ", mismatch.path.empty() ? "(top)" : mismatch.path);
  if (!mismatch.note.empty()) absl::StrAppend(&text, "  (", mismatch.note, ")");
  absl::StrAppend(&text, "\n    expected: ", mismatch.expected,
                  "\n    actual:   ", mismatch.actual);
  return text;
}

void CheckRules(const PolicyCase& policy_case, const google::protobuf::Message& response,
                std::vector<std::string>* failures) {
  const std::vector<std::string> cited = CitedRules(response);
  const std::string where = policy_case.route ? "matched rules" : "checked rules and violations";
  const std::string listed = absl::StrCat("[", absl::StrJoin(cited, ", "), "]");
  for (const std::string& rule : policy_case.expect_rules) {
    if (!std::binary_search(cited.begin(), cited.end(), rule)) {
      failures->push_back(absl::StrCat("rule ", rule, " expected among the ", where,
                                       "\n    actual: ", listed));
    }
  }
  for (const std::string& rule : policy_case.expect_absent_rules) {
    if (std::binary_search(cited.begin(), cited.end(), rule)) {
      failures->push_back(absl::StrCat("rule ", rule, " must not be among the ", where,
                                       "\n    actual: ", listed));
    }
  }
}

// Every "ruleId" / "rule_id" string value anywhere in `value`.
void RuleIdsIn(const google::protobuf::Value& value, std::vector<std::string>* ids) {
  if (value.has_struct_value()) {
    for (const auto& [key, item] : value.struct_value().fields()) {
      if ((key == "ruleId" || key == "rule_id") && item.has_string_value()) {
        ids->push_back(item.string_value());
      } else {
        RuleIdsIn(item, ids);
      }
    }
  } else if (value.has_list_value()) {
    for (const auto& item : value.list_value().values()) RuleIdsIn(item, ids);
  }
}

}  // namespace

std::string DescribeAnswer(const absl::Status& status,
                           const google::protobuf::Message* response) {
  const std::string text =
      response != nullptr ? JsonOf(*response, true)
                          : absl::StrCat("error ", absl::StatusCodeToString(status.code()),
                                         ": ", status.message(), "\n");
  std::string indented;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    absl::StrAppend(&indented, "    ", line, "\n");
  }
  return indented;
}

std::vector<std::string> CheckRuleIdsDeclared(const PolicyCase& policy_case,
                                              const std::set<std::string>& declared) {
  std::vector<std::pair<std::string, std::string>> named;  // (where, id)
  for (const std::string& id : policy_case.expect_rules) named.push_back({"expect_rules", id});
  for (const std::string& id : policy_case.expect_absent_rules) {
    named.push_back({"expect_absent_rules", id});
  }
  if (policy_case.expect) {
    std::vector<std::string> in_expect;
    RuleIdsIn(*policy_case.expect, &in_expect);
    for (const std::string& id : in_expect) named.push_back({"expect", id});
  }
  std::vector<std::string> failures;
  for (const auto& [where, id] : named) {
    if (declared.count(id) == 0) {
      failures.push_back(absl::StrCat("unknown rule id \"", id, "\" in ", where,
                                      " of case \"", policy_case.name,
                                      "\": no loaded plugin declares it"));
    }
  }
  return failures;
}

std::vector<std::string> CheckRecordTypesDeclared(const google::protobuf::Message& response,
                                                  const std::set<std::string>& declared) {
  std::vector<std::string> failures;
  const auto* route = dynamic_cast<const v1::RouteResponse*>(&response);
  if (route == nullptr) return failures;
  for (const v1::RequiredRecord& r : route->decision().required_records()) {
    if (declared.count(r.record_type()) > 0) continue;
    failures.push_back(absl::StrCat(
        "required record ", v1::TaskKind_Name(r.kind()), " (rule ", r.rule_id(), ") ",
        r.record_type().empty() ? std::string("names no record type")
                                : absl::StrCat("names the record type \"", r.record_type(),
                                               "\", which no loaded plugin declares")));
  }
  return failures;
}

std::vector<std::string> CheckOutcome(const PolicyCase& policy_case,
                                      const absl::Status& status,
                                      const google::protobuf::Message* response) {
  std::vector<std::string> failures;
  if (policy_case.expect_error) {
    const ExpectedError& expected = *policy_case.expect_error;
    const std::string wanted =
        absl::StrCat(absl::StatusCodeToString(expected.code),
                     expected.message_contains.empty()
                         ? ""
                         : absl::StrCat(" with a message containing \"",
                                        expected.message_contains, "\""));
    if (status.ok()) {
      failures.push_back(absl::StrCat("expected the call to fail: ", wanted,
                                      "\n    actual: it succeeded"));
    } else if (status.code() != expected.code ||
               !absl::StrContains(status.message(), expected.message_contains)) {
      failures.push_back(absl::StrCat("expected error ", wanted, "\n    actual: ",
                                      absl::StatusCodeToString(status.code()), ": ",
                                      status.message()));
    }
    return failures;
  }
  if (!status.ok() || policy_case.expect_success) {
    if (status.ok()) return failures;  // A document's request: it must only succeed.
    failures.push_back(absl::StrCat("the call failed: ", absl::StatusCodeToString(status.code()),
                                    ": ", status.message()));
    return failures;
  }
  if (policy_case.expect) {
    for (const Mismatch& mismatch : MatchPartial(*policy_case.expect, ToValue(*response))) {
      failures.push_back(Describe(mismatch));
    }
  }
  CheckRules(policy_case, *response, &failures);
  return failures;
}

}  // namespace escalation::policy_test
