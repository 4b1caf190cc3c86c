#include "escalation/sdk/facts.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "escalation/sdk/decision.h"

namespace escalation::sdk {
namespace {

template <typename List>
bool Names(const List& list, int permission) {
  return std::find(list.begin(), list.end(), permission) != list.end();
}

}  // namespace

std::string Quote(absl::string_view value) {
  if (value.size() <= kMaxQuotedBytes) return std::string(value);
  size_t end = kMaxQuotedBytes;
  // Back up over UTF-8 continuation bytes (10xxxxxx) to a character start.
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(value.substr(0, end), "...");
}

std::string NotKnownText(absl::string_view fact, absl::string_view condition,
                         absl::string_view consequence) {
  return absl::StrCat("not known: ", fact, "; if ", condition, ", then ",
                      consequence, ".");
}

void NoteNotKnown(const Rule& rule, absl::string_view fact,
                  absl::string_view condition, absl::string_view consequence,
                  v1::Decision* decision) {
  AddNote(rule, NotKnownText(fact, condition, consequence), decision);
}

void FindingNotKnown(const Rule& rule, absl::string_view fact,
                     absl::string_view condition, absl::string_view consequence,
                     v1::PluginValidateResponse* response) {
  v1::Finding* f = response->add_findings();
  f->set_rule_id(rule.id);
  f->set_code("not_known");
  f->set_message(NotKnownText(fact, condition, consequence));
}

std::optional<bool> PermissionAnswer(const v1::CallFacts& call,
                                     v1::Permission permission) {
  if (Names(call.supervisor_permissions_given(), permission)) return true;
  if (Names(call.supervisor_permissions_refused(), permission)) return false;
  if (permission == v1::PERMISSION_TIER2_CONTACT &&
      call.has_supervisor_approved()) {
    return call.supervisor_approved();
  }
  return std::nullopt;
}

absl::Status CheckPermissionFacts(const v1::CallFacts& call) {
  for (const auto* list : {&call.supervisor_permissions_given(),
                           &call.supervisor_permissions_refused()}) {
    const char* field = list == &call.supervisor_permissions_given()
                            ? "call.supervisor_permissions_given"
                            : "call.supervisor_permissions_refused";
    if (Names(*list, v1::PERMISSION_UNSPECIFIED)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": PERMISSION_UNSPECIFIED names no permission"));
    }
  }
  for (int p : call.supervisor_permissions_given()) {
    if (Names(call.supervisor_permissions_refused(), p)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "call.supervisor_permissions_given and "
          "call.supervisor_permissions_refused both name ",
          v1::Permission_Name(static_cast<v1::Permission>(p))));
    }
  }
  return absl::OkStatus();
}

void RequirePermission(const Rule& rule, v1::Permission permission,
                       const v1::CallFacts& call, v1::Decision* decision) {
  decision->set_requires_supervisor_approval(true);
  Cite(rule, decision);
  for (const v1::SupervisorPermission& p : decision->supervisor_permissions()) {
    if (p.permission() == permission) return;
  }
  v1::SupervisorPermission* entry = decision->add_supervisor_permissions();
  entry->set_permission(permission);
  entry->set_rule_id(rule.id);
  if (std::optional<bool> given = PermissionAnswer(call, permission)) {
    entry->set_given(*given);
  }
}

}  // namespace escalation::sdk
