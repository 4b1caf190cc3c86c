#include "tools/policy_test/json_match.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"

namespace escalation::policy_test {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

std::string Join(const std::string& path, absl::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(path, ".", key);
}

bool SameInstant(const std::string& a, const std::string& b) {
  absl::Time ta, tb;
  std::string error;
  return absl::ParseTime(absl::RFC3339_full, a, &ta, &error) &&
         absl::ParseTime(absl::RFC3339_full, b, &tb, &error) && ta == tb;
}

// The JSON mapping writes durations as decimal seconds with an "s" suffix.
bool SameDuration(const std::string& a, const std::string& b) {
  double da, db;
  return a.size() > 1 && b.size() > 1 && a.back() == 's' && b.back() == 's' &&
         absl::SimpleAtod(absl::string_view(a).substr(0, a.size() - 1), &da) &&
         absl::SimpleAtod(absl::string_view(b).substr(0, b.size() - 1), &db) && da == db;
}

bool ScalarsMatch(const Value& expected, const Value& actual) {
  if (expected.kind_case() == Value::kNumberValue &&
      actual.kind_case() == Value::kStringValue) {
    double number;
    return absl::SimpleAtod(actual.string_value(), &number) &&
           number == expected.number_value();
  }
  if (expected.kind_case() != actual.kind_case()) return false;
  switch (expected.kind_case()) {
    case Value::kNullValue:
      return true;
    case Value::kBoolValue:
      return expected.bool_value() == actual.bool_value();
    case Value::kNumberValue:
      return expected.number_value() == actual.number_value();
    case Value::kStringValue:
      return expected.string_value() == actual.string_value() ||
             SameInstant(expected.string_value(), actual.string_value()) ||
             SameDuration(expected.string_value(), actual.string_value());
    default:
      return false;
  }
}

const Value* FindKey(const Struct& object, absl::string_view key) {
  const std::string wanted = LowerCamel(key);
  for (const auto& [name, value] : object.fields()) {
    if (LowerCamel(name) == wanted) return &value;
  }
  return nullptr;
}

void MatchObject(const Struct& expected, const Struct& actual, const std::string& path,
                 std::vector<Mismatch>* out) {
  for (const auto& [key, value] : expected.fields()) {
    const std::string key_path = Join(path, LowerCamel(key));
    const Value* found = FindKey(actual, key);
    if (found == nullptr) {
      out->push_back({key_path, ToJson(value), "(absent)", ""});
      continue;
    }
    std::vector<Mismatch> inner = MatchPartial(value, *found, key_path);
    out->insert(out->end(), inner.begin(), inner.end());
  }
}

// Pairs each expected element with the first actual element after the
// previous pair that matches it. Greedy is enough: taking the earliest match
// never leaves fewer candidates for the elements that follow.
void MatchArray(const ListValue& expected, const ListValue& actual, const std::string& path,
                std::vector<Mismatch>* out) {
  // An empty expected array means "none": it would match every array as a
  // subsequence, so it asks for an empty one instead.
  if (expected.values_size() == 0) {
    if (actual.values_size() > 0) {
      Value empty;
      empty.mutable_list_value();
      Value whole;
      *whole.mutable_list_value() = actual;
      out->push_back({path, ToJson(empty), ToJson(whole),
                      absl::StrCat("[] means none; the actual array has ",
                                   actual.values_size())});
    }
    return;
  }
  int next = 0;
  for (int i = 0; i < expected.values_size(); ++i) {
    const Value& wanted = expected.values(i);
    int found = -1;
    for (int k = next; k < actual.values_size() && found < 0; ++k) {
      if (MatchPartial(wanted, actual.values(k)).empty()) found = k;
    }
    if (found >= 0) {
      next = found + 1;
      continue;
    }
    // Report against the closest remaining element, to show what differs.
    std::vector<Mismatch> closest;
    int closest_index = -1;
    for (int k = next; k < actual.values_size(); ++k) {
      std::vector<Mismatch> diff =
          MatchPartial(wanted, actual.values(k), absl::StrCat(path, "[", k, "]"));
      if (closest_index < 0 || diff.size() < closest.size()) {
        closest = std::move(diff);
        closest_index = k;
      }
    }
    const std::string note = absl::StrCat(
        "expected element [", i, "] of ", path.empty() ? "the array" : path,
        " matches no actual element", next > 0 ? absl::StrCat(" after [", next - 1, "]") : "");
    if (closest_index < 0) {
      out->push_back({absl::StrCat(path, "[", i, "]"), ToJson(wanted),
                      absl::StrCat("(no element left; the actual array has ",
                                   actual.values_size(), ")"),
                      note});
      return;
    }
    for (Mismatch& m : closest) {
      m.note = absl::StrCat(note, "; closest is [", closest_index, "]");
      out->push_back(std::move(m));
    }
    return;  // Later elements would be paired against a guess; stop here.
  }
}

}  // namespace

std::string LowerCamel(absl::string_view key) {
  std::string camel;
  bool upper_next = false;
  for (char c : key) {
    if (c == '_') {
      upper_next = !camel.empty();
      continue;
    }
    camel.push_back(upper_next ? absl::ascii_toupper(c) : c);
    upper_next = false;
  }
  return camel;
}

std::string ToJson(const Value& value) {
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) return "(unprintable)";
  return json;
}

std::vector<Mismatch> MatchPartial(const Value& expected, const Value& actual,
                                   const std::string& path) {
  std::vector<Mismatch> out;
  if (expected.has_struct_value() && actual.has_struct_value()) {
    MatchObject(expected.struct_value(), actual.struct_value(), path, &out);
  } else if (expected.has_list_value() && actual.has_list_value()) {
    MatchArray(expected.list_value(), actual.list_value(), path, &out);
  } else if (expected.has_struct_value() || expected.has_list_value() ||
             !ScalarsMatch(expected, actual)) {
    out.push_back({path, ToJson(expected), ToJson(actual), ""});
  }
  return out;
}

}  // namespace escalation::policy_test
