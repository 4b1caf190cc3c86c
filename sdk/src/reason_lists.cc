#include "escalation/sdk/reason_lists.h"

#include <algorithm>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/config.h"

namespace escalation::sdk {
namespace {

using Lists = std::vector<std::pair<int, std::vector<std::string>>>;

// Appends each of `from` that `to` does not hold yet; into an answer's list
// (a RepeatedPtrField) it is copied into the list's next string, which keeps
// its room in a kept answer.
template <typename List>
void AddOnce(const std::vector<std::string>& from, List* to) {
  for (const std::string& s : from) {
    if (std::find(to->begin(), to->end(), s) != to->end()) continue;
    if constexpr (std::is_same_v<List, std::vector<std::string>>) {
      to->push_back(s);
    } else {
      *to->Add() = s;
    }
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

std::vector<std::string> ReasonLists::ForCall(const v1::CallFacts& call) const {
  google::protobuf::RepeatedPtrField<std::string> out;
  AddForCall(call, &out);
  return {out.begin(), out.end()};
}

void ReasonLists::AddForCall(const v1::CallFacts& call,
                             google::protobuf::RepeatedPtrField<std::string>* out) const {
  bool any = false;  // Any string configured for the call's reasons or threats.
  const auto add = [&](const Lists& lists, const auto& values) {
    for (int value : values) {
      if (const auto* strings = Find(lists, value)) {
        any = any || !strings->empty();
        AddOnce(*strings, out);
      }
    }
  };
  add(by_reason_, call.reasons());
  add(by_threat_, call.threats());
  if (!any) AddOnce(all_, out);
}

}  // namespace escalation::sdk
