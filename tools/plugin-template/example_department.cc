// An example department plugin: one routing rule and one validation rule,
// each citing the knowledge-base article it implements, written as rule
// tables (escalation/sdk/rule_table.h): {declared rule, condition, effect}.
// Copy, rename, and replace the rules with your department's; keep each
// table beside the article lines it implements.
#include <string>
#include <vector>

#include "escalation/sdk/config.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"

namespace example {

namespace sdk = ::escalation::sdk;
namespace v1 = ::escalation::v1;

// What the route rules read and what they add to.
struct Call {
  const v1::CallFacts& call;
  const std::string& refuses_information_script;  // From the configuration.
  v1::PluginRouteResponse* response;
};
// What the validate rules read and what they add to.
struct Check {
  const v1::Task& task;
  v1::PluginValidateResponse* response;
};

// Article "Customer Service Escalations": the suggested script.
const std::vector<sdk::RouteRule<Call>>& RouteRules() {
  static const auto* rules = new std::vector<sdk::RouteRule<Call>>{
      {{"example.refuses_information",
        "A customer who refuses to give information hears the suggested script",
        "Customer Service Escalations"},
       [](const Call& c) {
         return c.call.has_customer_refuses_information() &&
                c.call.customer_refuses_information();
       },
       [](const sdk::Rule& rule, Call& c) {
         v1::Decision* decision = sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, c.response);
         decision->set_action(v1::RESOLVE_HERE);
         decision->set_summary("Ask for the information before contacting a supervisor.");
         sdk::AddScript(rule, "example.refuses_information.script",
                        sdk::FillCustomerName(c.refuses_information_script,
                                              c.call.customer_name()),
                        decision);
       }}};
  return *rules;
}

// Article "Tier 3 Escalations": most Tier 3 tasks originate within the Tier 2
// team. A T3 task is the example because no department plugin validates that
// kind: a plugin validates only kinds that are its own, or it can refuse
// tasks another plugin owns (the server lists every overlap in ListPlugins).
const std::vector<sdk::ValidateRule<Check>>& ValidateRules() {
  static const auto* rules = new std::vector<sdk::ValidateRule<Check>>{
      {{"example.t3_task.linked_task",
        "A T3 task names the task it was raised from (design reading: the article "
        "says most Tier 3 tasks originate within the Tier 2 team, so a missing link "
        "is a warning)",
        "Tier 3 Escalations"},
       [](const Check&) { return true; },  // Every T3 task.
       [](const sdk::Rule& rule, Check& c) {
         sdk::Cite(rule, c.response);
         if (c.task.linked_task_ids().empty()) {
           sdk::AddViolation(rule, "linked_task_ids",
                             "name the Tier 2 task this T3 task was raised from, if any",
                             v1::WARNING, c.response);
         }
       }}};
  return *rules;
}

class ExampleDepartment : public sdk::Plugin {
 public:
  ExampleDepartment() {
    SetDescription("Example department plugin built from tools/plugin-template.");
    RoutesFor(v1::CUSTOMER_SERVICE);
    Validates(v1::T3_TASK);
    DeclareRules(RouteRules());
    DeclareRules(ValidateRules());
  }

  // Refuses a configuration with a missing script or an unknown key, so a
  // typo stops the server at start-up instead of changing the policy silently.
  absl::Status Configure(const google::protobuf::Struct& config) override {
    if (absl::Status s = sdk::RejectUnknownKeys(config, {"refuses_information_script"},
                                                "example_department configuration");
        !s.ok()) {
      return s;
    }
    auto script = sdk::RequireString(config, "refuses_information_script");
    if (!script.ok()) return script.status();
    refuses_information_script_ = *std::move(script);
    return absl::OkStatus();
  }

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    Call call{request.call(), refuses_information_script_, response};
    sdk::Apply(RouteRules(), call);
    return absl::OkStatus();
  }

  absl::Status Validate(const v1::PluginValidateRequest& request,
                        v1::PluginValidateResponse* response) const override {
    Check check{request.task(), response};
    sdk::Apply(ValidateRules(), check);
    return absl::OkStatus();
  }

 private:
  std::string refuses_information_script_;
};

}  // namespace example

ESCALATION_PLUGIN(example::ExampleDepartment, "example_department", "0.1.0")
