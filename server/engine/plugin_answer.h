// What the engine does with each plugin answer it parses: the error that
// names the plugin when the bytes do not parse, and the plugin's name on the
// rules it cites.
#ifndef ESCALATION_SERVER_ENGINE_PLUGIN_ANSWER_H_
#define ESCALATION_SERVER_ENGINE_PLUGIN_ANSWER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "escalation/v1/decision.pb.h"
#include "server/plugin/plugin.h"

namespace escalation::host {

// INTERNAL: plugin `plugin`'s answer to `method` does not parse as `type`.
inline absl::Status Unparseable(const Plugin& plugin, PluginMethod method,
                                const std::string& type) {
  return absl::InternalError(absl::StrCat("plugin ", plugin.name(), " returned bytes from ",
                                          MethodName(method), " that do not parse as ", type));
}

// Parses a plugin's answer as `Response`, naming the plugin if it does not.
template <typename Response>
absl::Status ParseAnswer(const Plugin& plugin, PluginMethod method,
                         const absl::StatusOr<absl::string_view>& answer, Response* response) {
  if (!answer.ok()) return answer.status();
  if (!response->ParseFromArray(answer->data(), static_cast<int>(answer->size()))) {
    return Unparseable(plugin, method, response->GetDescriptor()->full_name());
  }
  return absl::OkStatus();
}

// Records which plugin produced each rule that does not yet say so: the
// Plugin `by(rule_id)` returns.
template <typename By>
void CreditRules(google::protobuf::RepeatedPtrField<v1::MatchedRule>* rules, By by) {
  for (v1::MatchedRule& rule : *rules) {
    if (!rule.plugin().empty()) continue;
    const Plugin& plugin = by(rule.rule_id());
    rule.set_plugin(plugin.name());
    rule.set_plugin_version(plugin.version());
  }
}

// The same, every such rule `plugin`'s.
inline void Stamp(const Plugin& plugin,
                  google::protobuf::RepeatedPtrField<v1::MatchedRule>* rules) {
  CreditRules(rules, [&plugin](const std::string&) -> const Plugin& { return plugin; });
}

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_ENGINE_PLUGIN_ANSWER_H_
