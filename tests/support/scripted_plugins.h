// Plugins that answer with bytes a test gives them, for tests and fuzzers of
// what the engine does with plugin answers: a router for Customer Service
// calls and an admitter for the Leadership Desk.
#ifndef ESCALATION_TESTS_SUPPORT_SCRIPTED_PLUGINS_H_
#define ESCALATION_TESTS_SUPPORT_SCRIPTED_PLUGINS_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/engine/policy_engine.h"
#include "server/wire/fixed_texts.h"
#include "server/wire/wire_reader.h"

namespace escalation::test {

// Answers Route and Admit with what RoutesWith and AdmitsFor were given,
// and keeps the last admit request it was sent.
class ScriptedPlugin final : public host::Plugin {
 public:
  explicit ScriptedPlugin(const std::string& name) {
    v1::PluginManifest* m = info_.mutable_manifest();
    m->set_name(name);
    m->set_version("1.2.3");
    info_.set_path("/plugins/" + name + ".so");
    v1::RuleInfo* rule = m->add_rules();
    rule->set_id(name + ".rule");
    rule->set_title("A rule");
    rule->set_source_article("An article");
  }
  void RoutesWith(std::string answer) {
    info_.mutable_manifest()->add_routes_for(v1::CUSTOMER_SERVICE);
    route_answer_ = std::move(answer);
  }
  void AdmitsFor(v1::Decision::Destination destination, absl::StatusOr<std::string> answer) {
    info_.mutable_manifest()->add_admits_for(destination);
    admit_answer_ = std::move(answer);
  }
  // Declares that it admits by edit (ABI 1.2), with `edits` its output edits.
  void AdmitsByEdit(std::vector<v1::OutputEdit> edits) {
    v1::PluginManifest* m = info_.mutable_manifest();
    m->set_admit_request_form(v1::ADMIT_REQUEST_FORM_PROPOSAL_HEAD);
    for (v1::OutputEdit& e : edits) *m->add_output_edits() = std::move(e);
  }
  // Declares fixed texts for its answers to cite: PluginFixedTexts wire bytes,
  // checked as the loader checks a plugin's.
  absl::Status Declares(std::string fixed_texts) {
    auto texts = host::FixedTexts::Make(path(), name(), std::move(fixed_texts));
    if (!texts.ok()) return texts.status();
    fixed_texts_ = *std::move(texts);
    return absl::OkStatus();
  }
  const std::string& admit_request() const { return admit_request_; }

  void Call(host::PluginMethod method, absl::string_view request, absl::Time,
            host::PluginReply reply) const override {
    if (method == host::PluginMethod::kRoute) return std::move(reply)(route_answer_);
    admit_request_ = std::string(request);
    std::move(reply)(admit_answer_);
  }

 private:
  std::string route_answer_;
  absl::StatusOr<std::string> admit_answer_;
  mutable std::string admit_request_;
};

struct ScriptedEngine {
  const ScriptedPlugin* router = nullptr;    // "router", for CUSTOMER_SERVICE
  const ScriptedPlugin* admitter = nullptr;  // "admitter", for LEADERSHIP_DESK
  std::unique_ptr<host::PolicyEngine> engine;  // Null if the registry refused them.
};

// `edits`: when given, the admitter admits by edit with those output edits.
inline ScriptedEngine EngineAnswering(
    std::string route_answer, absl::StatusOr<std::string> admit_answer,
    std::optional<std::vector<v1::OutputEdit>> edits = std::nullopt) {
  auto router = std::make_unique<ScriptedPlugin>("router");
  router->RoutesWith(std::move(route_answer));
  auto admitter = std::make_unique<ScriptedPlugin>("admitter");
  admitter->AdmitsFor(v1::Decision::LEADERSHIP_DESK, std::move(admit_answer));
  if (edits) admitter->AdmitsByEdit(*std::move(edits));
  ScriptedEngine e{router.get(), admitter.get(), nullptr};
  std::vector<std::unique_ptr<host::Plugin>> plugins;
  plugins.push_back(std::move(router));
  plugins.push_back(std::move(admitter));
  auto registry = host::PluginRegistry::FromPlugins(std::move(plugins));
  if (registry.ok()) e.engine = std::make_unique<host::PolicyEngine>(*registry);
  return e;
}

// The same, the router proposing `proposal` (one Proposal's bytes, as given).
inline ScriptedEngine EngineProposing(
    const std::string& proposal, absl::StatusOr<std::string> admit_answer,
    std::optional<std::vector<v1::OutputEdit>> edits = std::nullopt) {
  std::string route_answer;
  host::wire::AppendLength(1, proposal, &route_answer);  // PluginRouteResponse.proposals
  return EngineAnswering(std::move(route_answer), std::move(admit_answer), std::move(edits));
}

// A Customer Service call, for the scripted router, at a fixed instant.
inline v1::RouteRequest ScriptedCall() {
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_evaluation_time()->set_seconds(1700000000);
  return request;
}

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_SUPPORT_SCRIPTED_PLUGINS_H_
