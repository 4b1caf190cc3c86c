// A Route decision as the engine answers it: the response message, on the
// decision's arena, or — when the decision was written from a plugin's own
// answer (decision_wire.h) — the response's wire bytes, with the message
// parsed from them only if someone asks for it. Either way it says what the
// observers read (action, destination, each rule and its plugin) without
// building anything. Used by one thread at a time, while the decision lives.
#ifndef ESCALATION_SERVER_ENGINE_ROUTE_ANSWER_H_
#define ESCALATION_SERVER_ENGINE_ROUTE_ANSWER_H_

#include <string>

#include "escalation/v1/service.pb.h"
#include "server/wire/decision_wire.h"

namespace escalation::host {

class RouteAnswer {
 public:
  explicit RouteAnswer(const v1::RouteResponse* message) : message_(message) {}
  // `bytes` outlives the answer; a parsed message goes on `arena`.
  RouteAnswer(const RouteResponseBytes* bytes, google::protobuf::Arena* arena)
      : bytes_(bytes), arena_(arena) {}

  // The response (parsed from the bytes on first use).
  const v1::RouteResponse& response() const;
  // The response's wire bytes, or null when it is a message.
  const std::string* bytes() const { return bytes_ == nullptr ? nullptr : &bytes_->bytes; }

  v1::Action action() const {
    return bytes_ != nullptr ? bytes_->action : message_->decision().action();
  }
  v1::Decision::Destination destination() const {
    return bytes_ != nullptr ? bytes_->destination : message_->decision().destination();
  }
  // Calls `each(rule_id, plugin)` for each matched rule, in order.
  template <typename Each>
  void ForEachRule(Each each) const {
    if (bytes_ != nullptr) {
      for (const RouteResponseBytes::Rule& rule : bytes_->rules) each(rule.id, rule.plugin);
      return;
    }
    for (const v1::MatchedRule& rule : message_->decision().matched_rules()) {
      each(absl::string_view(rule.rule_id()), absl::string_view(rule.plugin()));
    }
  }

 private:
  mutable const v1::RouteResponse* message_ = nullptr;
  const RouteResponseBytes* bytes_ = nullptr;
  google::protobuf::Arena* arena_ = nullptr;
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_ENGINE_ROUTE_ANSWER_H_
