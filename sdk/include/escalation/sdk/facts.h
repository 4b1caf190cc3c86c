// What a decision says about facts: a client's value quoted in a message, a
// fact the call does not give (a "not known" note), and the supervisor's
// permissions a route depends on.
#ifndef ESCALATION_SDK_FACTS_H_
#define ESCALATION_SDK_FACTS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

// A yes/no fact a call may not give (a proto3 `optional bool`, or a
// permission): true, false, or not known. Unknown is never read as false.
enum class Known { kUnknown, kTrue, kFalse };

// What `call.has_x(), call.x()` say: FactOf(call.has_bpo_agent(), call.bpo_agent()).
constexpr Known FactOf(bool given, bool value) {
  return !given ? Known::kUnknown : value ? Known::kTrue : Known::kFalse;
}
inline Known FactOf(std::optional<bool> answer) {
  return answer.has_value() ? FactOf(true, *answer) : Known::kUnknown;
}
// The fact is given and true; given and false.
constexpr bool IsTrue(bool given, bool value) { return given && value; }
constexpr bool IsFalse(bool given, bool value) { return given && !value; }

// At most this many bytes of a client's value are quoted in a message.
inline constexpr size_t kMaxQuotedBytes = 100;

// `value` as a message may quote it: whole when short, else its first
// kMaxQuotedBytes bytes (cut at a UTF-8 character boundary) and "...".
std::string Quote(absl::string_view value);

// Appends the note "not known: <fact>; if <condition>, then <consequence>."
// citing `rule`: a fact the call does not give would change the decision.
void NoteNotKnown(const Rule& rule, absl::string_view fact,
                  absl::string_view condition, absl::string_view consequence,
                  v1::Decision* decision);

// The same for a task: a finding with code "not_known" and that message. It
// does not cite `rule` as checked: the rule did not apply for want of the fact.
void FindingNotKnown(const Rule& rule, absl::string_view fact,
                     absl::string_view condition, absl::string_view consequence,
                     v1::PluginValidateResponse* response);

// What the call facts say of `permission`: true given, false refused,
// nullopt not known. supervisor_approved (v1.0) answers for
// PERMISSION_TIER2_CONTACT when neither list names it.
std::optional<bool> PermissionAnswer(const v1::CallFacts& call,
                                     v1::Permission permission);

// INVALID_ARGUMENT naming the field when the permission lists name
// PERMISSION_UNSPECIFIED, or one permission as both given and refused.
absl::Status CheckPermissionFacts(const v1::CallFacts& call);

// Marks the decision's route as one that needs `permission`
// (docs/architecture.md, Rules and their articles):
// requires_supervisor_approval, and one supervisor_permissions entry with what
// the facts say, citing `rule`. A second call for one permission keeps the
// first entry.
void RequirePermission(const Rule& rule, v1::Permission permission,
                       const v1::CallFacts& call, v1::Decision* decision);

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_FACTS_H_
