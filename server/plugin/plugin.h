// A loaded department plugin as the policy engine sees it: who it is (its
// manifest) and one way to call it. Where its code runs — on the caller's
// thread in this process, or in worker processes of its own
// (docs/architecture.md, Fault containment) — is the implementation's business.
#ifndef ESCALATION_SERVER_PLUGIN_PLUGIN_H_
#define ESCALATION_SERVER_PLUGIN_PLUGIN_H_

#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "escalation/v1/plugin.pb.h"

namespace escalation::host {

namespace v1 = ::escalation::v1;

// The three request/response functions of the plugin ABI.
enum class PluginMethod : uint8_t { kRoute = 1, kAdmit = 2, kValidate = 3 };
const char* MethodName(PluginMethod method);

// The answer of one plugin call: the response message's wire bytes, or a
// status naming the plugin (INVALID_ARGUMENT when the plugin refused the
// request, INTERNAL when it failed, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
// UNAVAILABLE when it is quarantined). The bytes are lent for the reply's
// run only: a reply that keeps them copies them, so a plugin run on the
// caller's thread hands over its own buffer, not a copy.
using PluginReply = absl::AnyInvocable<void(absl::StatusOr<absl::string_view>) &&>;

// A copy of a lent answer, for a reply that keeps it.
inline absl::StatusOr<std::string> OwnedAnswer(const absl::StatusOr<absl::string_view>& answer) {
  if (!answer.ok()) return answer.status();
  return std::string(*answer);
}

class FixedTexts;  // fixed_texts.h

class Plugin {
 public:
  virtual ~Plugin() = default;

  const v1::PluginInfo& info() const { return info_; }
  const std::string& name() const { return info_.manifest().name(); }
  const std::string& version() const { return info_.manifest().version(); }
  const std::string& path() const { return info_.path(); }
  // The texts the plugin declared at load for its answers to cite (ABI
  // 1.1), checked; null when it declared none. Its route and admit answers
  // reach the engine as it sent them: ExpandCitations (fixed_texts.h) turns
  // them into the plain answer.
  const FixedTexts* fixed_texts() const { return fixed_texts_.get(); }
  const std::shared_ptr<const FixedTexts>& shared_fixed_texts() const { return fixed_texts_; }

  // Sends `request` (wire bytes of the method's request message) and calls
  // `reply` exactly once: on this thread or another, before or after Call
  // returns. Past `deadline` the reply is DEADLINE_EXCEEDED naming the plugin.
  // `request` is read only until Call returns: one that answers later keeps
  // its own copy, so a plugin run on the caller's thread copies nothing.
  virtual void Call(PluginMethod method, absl::string_view request,
                    absl::Time deadline, PluginReply reply) const = 0;

 protected:
  v1::PluginInfo info_;
  std::shared_ptr<const FixedTexts> fixed_texts_;
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_PLUGIN_PLUGIN_H_
