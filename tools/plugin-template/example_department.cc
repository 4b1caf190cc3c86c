// An example department plugin: one routing rule and one validation rule,
// each citing the knowledge-base article it implements. Copy, rename, and
// replace the rules with your department's.
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "escalation/sdk/config.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/plugin.h"

namespace example {

namespace sdk = ::escalation::sdk;
namespace v1 = ::escalation::v1;

class ExampleDepartment : public sdk::Plugin {
 public:
  ExampleDepartment() {
    SetDescription("Example department plugin built from tools/plugin-template.");
    RoutesFor(v1::CUSTOMER_SERVICE);
    Validates(v1::CALL_BACK_EXCEPTION);
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
    const v1::CallFacts& call = request.call();
    if (call.has_customer_refuses_information() && call.customer_refuses_information()) {
      v1::Decision* decision = sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, response);
      decision->set_action(v1::RESOLVE_HERE);
      decision->set_summary("Ask for the information before contacting a supervisor.");
      sdk::AddScript(refuses_information_, "example.refuses_information.script",
                     sdk::FillCustomerName(kRefusesInformationScript, call.customer_name()),
                     decision);
    }
    return absl::OkStatus();
  }

  absl::Status Validate(const v1::PluginValidateRequest& request,
                        v1::PluginValidateResponse* response) const override {
    const v1::Task& task = request.task();
    sdk::Cite(approved_comment_, response);
    if (!absl::c_linear_search(approved_comments_, task.text())) {
      sdk::AddViolation(approved_comment_, "text",
                        absl::StrCat("the comment must be one of the approved Exception "
                                     "Comments; \"", task.text(), "\" is not"),
                        v1::ERROR, response);
    }
    return absl::OkStatus();
  }

 private:
  static constexpr char kRefusesInformationScript[] =
      "[customer name] I understand your concern and would like to get some "
      "information and understand your situation before I contact a supervisor.";

  const sdk::Rule& refuses_information_ = DeclareRule(
      {"example.refuses_information",
       "A customer who refuses to give information hears the suggested script",
       "Customer Service Escalations"});
  const sdk::Rule& approved_comment_ = DeclareRule(
      {"example.call_back_exception.approved_comment",
       "A Call Back exception's comment is one of the approved Exception Comments",
       "Leadership Desk"});
  std::vector<std::string> approved_comments_;
};

}  // namespace example

ESCALATION_PLUGIN(example::ExampleDepartment, "example_department", "0.1.0")
