#include "tools/policy_test/case_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "tools/policy_test/json_match.h"

namespace escalation::policy_test {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

const std::vector<std::string>& CaseKeys() {
  static const auto* keys = new std::vector<std::string>{
      "name", "route", "validate", "expect", "expect_rules", "expect_absent_rules",
      "expect_error"};
  return *keys;
}

class CaseParser {
 public:
  CaseParser(const std::string& file, int index) : file_(file), index_(index) {}

  absl::StatusOr<PolicyCase> Parse(const Value& value) {
    if (!value.has_struct_value()) return Error("is not an object");
    const Struct& object = value.struct_value();
    if (const Value* name = Find(object, "name")) name_ = name->string_value();
    for (const auto& [key, unused] : object.fields()) {
      if (std::find(CaseKeys().begin(), CaseKeys().end(), key) == CaseKeys().end()) {
        return Error(absl::StrCat("unknown key \"", key, "\" (known: ",
                                  absl::StrJoin(CaseKeys(), ", "), ")"));
      }
    }
    PolicyCase result;
    result.file = file_;
    const Value* name = Find(object, "name");
    if (name == nullptr || name->string_value().empty()) {
      return Error("has no \"name\" (a non-empty string)");
    }
    result.name = name->string_value();

    const Value* route = Find(object, "route");
    const Value* validate = Find(object, "validate");
    if ((route == nullptr) == (validate == nullptr)) {
      return Error("must have exactly one of \"route\" and \"validate\"");
    }
    absl::Status status =
        route ? ParseAs(*route, "route", &result.route.emplace())
              : ParseAs(*validate, "validate", &result.validate.emplace());
    if (!status.ok()) return status;

    if (const Value* expect = Find(object, "expect")) {
      if (!expect->has_struct_value()) return Error("\"expect\" is not an object");
      if (expect->struct_value().fields().empty()) {
        return Error("has an empty \"expect\", which every answer matches: name a field");
      }
      // Parsed only to catch misspelt fields and enum names; matching uses the JSON.
      status = route ? ParseAs(*expect, "expect", std::make_unique<v1::RouteResponse>().get())
                     : ParseAs(*expect, "expect",
                               std::make_unique<v1::ValidateTaskResponse>().get());
      if (!status.ok()) return status;
      result.expect = *expect;
    }
    for (auto [key, list] : {std::pair{"expect_rules", &result.expect_rules},
                             std::pair{"expect_absent_rules", &result.expect_absent_rules}}) {
      if (absl::Status s = ReadStrings(object, key, list); !s.ok()) return s;
    }
    if (const Value* error = Find(object, "expect_error")) {
      auto expected_error = ParseError(*error);
      if (!expected_error.ok()) return expected_error.status();
      if (result.expect || !result.expect_rules.empty() || !result.expect_absent_rules.empty()) {
        return Error("\"expect_error\" cannot be combined with other expectations");
      }
      result.expect_error = *expected_error;
    }
    if (!result.expect && !result.expect_error && result.expect_rules.empty() &&
        result.expect_absent_rules.empty()) {
      return Error("checks nothing: give \"expect\", \"expect_rules\", "
                   "\"expect_absent_rules\" or \"expect_error\"");
    }
    return result;
  }

  absl::Status Error(absl::string_view what) const {
    const std::string which = name_.empty() ? absl::StrCat("case #", index_ + 1)
                                            : absl::StrCat("case \"", name_, "\"");
    return absl::InvalidArgumentError(absl::StrCat(file_, ": ", which, " ", what));
  }

 private:
  static const Value* Find(const Struct& object, const std::string& key) {
    auto it = object.fields().find(key);
    return it == object.fields().end() ? nullptr : &it->second;
  }

  absl::Status ParseAs(const Value& value, absl::string_view key,
                       google::protobuf::Message* message) const {
    const auto parsed = google::protobuf::util::JsonStringToMessage(ToJson(value), message);
    if (parsed.ok()) return absl::OkStatus();
    return Error(absl::StrCat("has a \"", key, "\" that is not a ",
                              message->GetDescriptor()->name(), ": ", std::string(parsed.message())));
  }

  absl::Status ReadStrings(const Struct& object, const std::string& key,
                           std::vector<std::string>* out) const {
    const Value* value = Find(object, key);
    if (value == nullptr) return absl::OkStatus();
    if (!value->has_list_value()) return Error(absl::StrCat("\"", key, "\" is not an array"));
    if (value->list_value().values().empty()) {
      return Error(absl::StrCat(
          "has an empty \"", key, "\", which checks nothing; name a rule id, or say "
          "\"none\" with an empty list in \"expect\" (e.g. {\"decision\": "
          "{\"matchedRules\": []}})"));
    }
    for (const Value& item : value->list_value().values()) {
      if (item.kind_case() != Value::kStringValue) {
        return Error(absl::StrCat("\"", key, "\" holds a non-string"));
      }
      out->push_back(item.string_value());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<ExpectedError> ParseError(const Value& value) const {
    if (!value.has_struct_value()) return Error("\"expect_error\" is not an object");
    ExpectedError result{absl::StatusCode::kOk, ""};
    std::string code_name;
    for (const auto& [key, item] : value.struct_value().fields()) {
      if (key == "code") {
        code_name = item.string_value();
      } else if (key == "message_contains") {
        result.message_contains = item.string_value();
      } else {
        return Error(absl::StrCat("\"expect_error\" has an unknown key \"", key,
                                  "\" (known: code, message_contains)"));
      }
    }
    for (int code = 1; code <= 16; ++code) {
      if (absl::StatusCodeToString(static_cast<absl::StatusCode>(code)) == code_name) {
        result.code = static_cast<absl::StatusCode>(code);
      }
    }
    if (result.code == absl::StatusCode::kOk) {
      return Error(absl::StrCat("\"expect_error\" has code \"", code_name,
                                "\", not a gRPC status name such as INVALID_ARGUMENT"));
    }
    return result;
  }

  const std::string& file_;
  int index_;
  std::string name_;
};

}  // namespace

absl::StatusOr<std::vector<PolicyCase>> ParseCaseFile(const std::string& file,
                                                      const std::string& json) {
  Struct root;
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &root);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": not a JSON object: ", std::string(parsed.message())));
  }
  for (const auto& [key, unused] : root.fields()) {
    if (key != "cases") {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": unknown top-level key \"", key, "\" (only \"cases\")"));
    }
  }
  auto cases = root.fields().find("cases");
  if (cases == root.fields().end() || !cases->second.has_list_value()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": has no \"cases\" array"));
  }
  std::vector<PolicyCase> result;
  std::set<std::string> names;
  const auto& values = cases->second.list_value().values();
  for (int i = 0; i < values.size(); ++i) {
    CaseParser parser(file, i);
    auto parsed_case = parser.Parse(values[i]);
    if (!parsed_case.ok()) return parsed_case.status();
    if (!names.insert(parsed_case->name).second) return parser.Error("is a duplicate name");
    result.push_back(*std::move(parsed_case));
  }
  return result;
}

absl::StatusOr<std::vector<PolicyCase>> ParseMarkdownExamples(
    const std::string& file, const std::string& markdown) {
  std::vector<PolicyCase> result;
  std::vector<std::string> lines = absl::StrSplit(markdown, '\n');
  int blocks = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(lines[i]) != "```json") continue;
    const int first_line = static_cast<int>(i) + 2;  // 1-based, after the fence.
    std::string json;
    for (++i; i < lines.size() && absl::StripAsciiWhitespace(lines[i]) != "```"; ++i) {
      absl::StrAppend(&json, lines[i], "\n");
    }
    ++blocks;
    const std::string where = absl::StrCat(file, ":", first_line);
    Struct block;
    if (!google::protobuf::util::JsonStringToMessage(json, &block).ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": a json block that does not parse"));
    }
    const auto& fields = block.fields();
    if (fields.count("cases") > 0) {
      auto cases = ParseCaseFile(where, json);
      if (!cases.ok()) return cases.status();
      result.insert(result.end(), cases->begin(), cases->end());
      continue;
    }
    PolicyCase example;
    example.file = file;
    example.name = absl::StrCat("example at line ", first_line);
    example.expect_success = true;
    google::protobuf::Message* request = nullptr;
    if (fields.count("call") > 0) {
      request = &example.route.emplace();
    } else if (fields.count("task") > 0) {
      request = &example.validate.emplace();
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": a json block that is neither a case file (\"cases\") nor a "
                 "request (\"call\" or \"task\")"));
    }
    const auto parsed = google::protobuf::util::JsonStringToMessage(json, request);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": not a ", request->GetDescriptor()->name(), ": ",
          std::string(parsed.message())));
    }
    result.push_back(std::move(example));
  }
  if (blocks == 0) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": has no ```json example"));
  }
  return result;
}

absl::StatusOr<std::vector<PolicyCase>> LoadCaseFile(const std::string& file) {
  std::ifstream in(file);
  if (!in) return absl::NotFoundError(absl::StrCat(file, ": cannot read the file"));
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  if (absl::EndsWith(file, ".md")) return ParseMarkdownExamples(file, text);
  return ParseCaseFile(file, text);
}

absl::StatusOr<std::vector<std::string>> FindCaseFiles(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::is_regular_file(path, error)) return std::vector<std::string>{path};
  if (!fs::is_directory(path, error)) {
    return absl::NotFoundError(absl::StrCat(path, ": no such file or directory"));
  }
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".json") {
      files.push_back(it->path().string());
    }
  }
  if (error) return absl::InternalError(absl::StrCat(path, ": ", error.message()));
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace escalation::policy_test
