// An example department plugin: one routing rule and one validation rule,
// each citing the knowledge-base article it implements, written as rule
// tables (escalation/sdk/rule_table.h): {declared rule, condition, effect}.
// Copy, rename, and replace the rules with your department's; keep each
// table beside the article lines it implements.
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "escalation/sdk/config.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"

namespace example {

namespace sdk = ::escalation::sdk;
namespace v1 = ::escalation::v1;

// What the route rules read and what they add to.
struct Call {
  const v1::CallFacts& call;
  v1::PluginRouteResponse* response;
};
// What the validate rules read and what they add to.
struct Check {
  const v1::Task& task;
  const std::vector<std::string>& approved_comments;  // From the configuration.
  v1::PluginValidateResponse* response;
};

constexpr char kRefusesInformationScript[] =
    "[customer name] I understand your concern and would like to get some "
    "information and understand your situation before I contact a supervisor.";

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
                        sdk::FillCustomerName(kRefusesInformationScript, c.call.customer_name()),
                        decision);
       }}};
  return *rules;
}

// Article "Leadership Desk": the approved Exception Comments.
const std::vector<sdk::ValidateRule<Check>>& ValidateRules() {
  static const auto* rules = new std::vector<sdk::ValidateRule<Check>>{
      {{"example.call_back_exception.approved_comment",
        "A Call Back exception's comment is one of the approved Exception Comments",
        "Leadership Desk"},
       [](const Check&) { return true; },  // Every Call Back exception.
       [](const sdk::Rule& rule, Check& c) {
         sdk::Cite(rule, c.response);
         if (!absl::c_linear_search(c.approved_comments, c.task.text())) {
           sdk::AddViolation(rule, "text",
                             absl::StrCat("the comment must be one of the approved Exception "
                                          "Comments; \"", sdk::Quote(c.task.text()), "\" is not"),
                             v1::ERROR, c.response);
         }
       }}};
  return *rules;
}

class ExampleDepartment : public sdk::Plugin {
 public:
  ExampleDepartment() {
    SetDescription("Example department plugin built from tools/plugin-template.");
    RoutesFor(v1::CUSTOMER_SERVICE);
    Validates(v1::CALL_BACK_EXCEPTION);
    DeclareRules(RouteRules());
    DeclareRules(ValidateRules());
  }

  // Refuses a configuration with a missing list or an unknown key, so a typo
  // stops the server at start-up instead of changing the policy silently.
  absl::Status Configure(const google::protobuf::Struct& config) override {
    if (absl::Status s = sdk::RejectUnknownKeys(config, {"approved_exception_comments"},
                                                "example_department configuration");
        !s.ok()) {
      return s;
    }
    auto comments = sdk::RequireStringList(config, "approved_exception_comments");
    if (!comments.ok()) return comments.status();
    approved_comments_ = *std::move(comments);
    return absl::OkStatus();
  }

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    Call call{request.call(), response};
    sdk::Apply(RouteRules(), call);
    return absl::OkStatus();
  }

  absl::Status Validate(const v1::PluginValidateRequest& request,
                        v1::PluginValidateResponse* response) const override {
    Check check{request.task(), approved_comments_, response};
    sdk::Apply(ValidateRules(), check);
    return absl::OkStatus();
  }

 private:
  std::vector<std::string> approved_comments_;
};

}  // namespace example

ESCALATION_PLUGIN(example::ExampleDepartment, "example_department", "0.1.0")
