#include "escalation/sdk/reason_lists.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/config.h"

namespace escalation::sdk {
namespace {

using Lists = std::vector<std::pair<int, std::vector<std::string>>>;

void AddOnce(const std::vector<std::string>& from, std::vector<std::string>* to) {
  for (const std::string& s : from) {
    if (std::find(to->begin(), to->end(), s) == to->end()) to->push_back(s);
  }
}
// Copied into the list's next string, which keeps its room in a kept answer.
void AddOnce(const std::vector<std::string>& from,
             google::protobuf::RepeatedPtrField<std::string>* to) {
  for (const std::string& s : from) {
    if (std::find(to->begin(), to->end(), s) == to->end()) *to->Add() = s;
  }
}

const std::vector<std::string>* Find(const Lists& lists, int value) {
  for (const auto& [key, strings] : lists) {
    if (key == value) return &strings;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<ReasonLists> ReasonLists::Parse(
    const google::protobuf::Struct& config, absl::string_view key) {
  ReasonLists out;
  auto found = config.fields().find(std::string(key));
  if (found != config.fields().end() && found->second.has_list_value()) {
    absl::StatusOr<std::vector<std::string>> all = RequireStringList(config, key);
    if (!all.ok()) return all.status();
    AddOnce(*all, &out.all_);
    return out;
  }
  absl::StatusOr<const google::protobuf::Struct*> object = RequireObject(config, key);
  if (!object.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration key \"", key,
                     "\" must be an object of lists of strings by reason or "
                     "threat name, or a list of strings"));
  }
  if ((*object)->fields().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration key \"", key, "\" names no reason"));
  }
  for (const auto& [name, unused] : (*object)->fields()) {
    absl::StatusOr<std::vector<std::string>> strings = RequireStringList(**object, name);
    if (!strings.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(key, ".", strings.status().message()));
    }
    v1::Reason reason;
    v1::Threat threat;
    if (v1::Reason_Parse(name, &reason) && reason != v1::REASON_UNSPECIFIED) {
      out.by_reason_.emplace_back(reason, *std::move(strings));
    } else if (v1::Threat_Parse(name, &threat) && threat != v1::THREAT_UNSPECIFIED) {
      out.by_threat_.emplace_back(threat, *std::move(strings));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "configuration key \"", key, "\" names \"", name,
          "\", which is neither a Reason nor a Threat of escalation.v1"));
    }
  }
  // The configuration is a map: order by the enums, not by its iteration.
  for (Lists* lists : {&out.by_reason_, &out.by_threat_}) {
    std::sort(lists->begin(), lists->end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [unused, strings] : *lists) AddOnce(strings, &out.all_);
  }
  return out;
}

void ReasonLists::ForEachListOf(
    const v1::CallFacts& call,
    absl::FunctionRef<void(const std::vector<std::string>&)> visit) const {
  for (int reason : call.reasons()) {
    if (const auto* strings = Find(by_reason_, reason)) visit(*strings);
  }
  for (int threat : call.threats()) {
    if (const auto* strings = Find(by_threat_, threat)) visit(*strings);
  }
}

std::vector<std::string> ReasonLists::ForCall(const v1::CallFacts& call) const {
  std::vector<std::string> out;
  ForEachListOf(call, [&](const std::vector<std::string>& strings) { AddOnce(strings, &out); });
  return out.empty() ? all_ : out;
}

void ReasonLists::AddForCall(const v1::CallFacts& call,
                             google::protobuf::RepeatedPtrField<std::string>* out) const {
  bool any = false;
  ForEachListOf(call, [&](const std::vector<std::string>& strings) {
    any = any || !strings.empty();
    AddOnce(strings, out);
  });
  if (!any) AddOnce(all_, out);
}

}  // namespace escalation::sdk
