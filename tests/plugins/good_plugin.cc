// A well-behaved test plugin. Built several times under different names
// (TEST_PLUGIN_NAME) to prove copies of one plugin coexist in one process.
//
// Routes CUSTOMER_SERVICE and TELESALES_RETENTION calls: proposes resolving
// here, a transfer to Retention when the customer wants to cancel, and a
// supervisor takeover (which outranks it) on a supervisor request; admits
// for RETENTION by adding a step; validates T2 tasks (or the kind
// TEST_PLUGIN_VALIDATES names) by requiring a category.
// Declares the two extension facts it reads: sleep_ms (a number) makes Route
// sleep, for the graceful-shutdown test; cancel_requested (a bool) counts as
// the reason CANCEL_CONTRACT, for the typed-extension tests.
// Built with TEST_PLUGIN_VERSION, it has that version and its Route answer's
// extensions.code_version says it, read from the plugin's own code.
#include <chrono>
#include <thread>

#include "escalation/sdk/decision.h"
#include "escalation/sdk/extension_facts.h"
#include "escalation/sdk/plugin.h"

#ifndef TEST_PLUGIN_NAME
#error "TEST_PLUGIN_NAME must be defined"
#endif
// Rule ids start with the plugin's name unless a test wants them to clash.
#ifndef TEST_PLUGIN_VERSION
#define TEST_PLUGIN_VERSION "1.0.0"
#define TEST_PLUGIN_UNVERSIONED
#endif
#ifndef TEST_RULE_PREFIX
#define TEST_RULE_PREFIX TEST_PLUGIN_NAME
#endif
#ifndef TEST_PLUGIN_VALIDATES
#define TEST_PLUGIN_VALIDATES T2_TASK
#endif

namespace {

using escalation::sdk::Rule;
namespace v1 = escalation::v1;

constexpr char kArticle[] = "Test Article";

class GoodPlugin : public escalation::sdk::Plugin {
 public:
  GoodPlugin()
      : resolve_(DeclareRule({TEST_RULE_PREFIX ".resolve", "Resolve here", kArticle})),
        cancel_(DeclareRule({TEST_RULE_PREFIX ".cancel", "Cancel goes to Retention", kArticle})),
        admit_(DeclareRule({TEST_RULE_PREFIX ".admit", "Retention admits", kArticle})),
        takeover_(DeclareRule({TEST_RULE_PREFIX ".takeover", "A supervisor takes over", kArticle})),
        category_(DeclareRule({TEST_RULE_PREFIX ".category", "Category required", kArticle})),
        sleep_ms_(DeclareExtensionFact(escalation::sdk::MakeExtensionFact(
            "sleep_ms", v1::EXTENSION_FACT_TYPE_NUMBER, "Milliseconds Route sleeps first"))),
        cancel_requested_(DeclareExtensionFact(escalation::sdk::MakeExtensionFact(
            "cancel_requested", v1::EXTENSION_FACT_TYPE_BOOL,
            "The customer wants to cancel (as the reason CANCEL_CONTRACT)"))) {
    SetDescription("Test plugin " TEST_PLUGIN_NAME);
    RoutesFor(v1::CUSTOMER_SERVICE);
    RoutesFor(v1::TELESALES_RETENTION);
#ifdef TEST_PLUGIN_ADMITS
    AdmitsFor(v1::Decision::RETENTION);
#endif
    Validates(v1::TEST_PLUGIN_VALIDATES);
  }

  absl::Status Configure(const google::protobuf::Struct& config) override {
    auto it = config.fields().find("greeting");
    if (it != config.fields().end()) {
      if (!it->second.has_string_value()) {
        return absl::InvalidArgumentError("\"greeting\" must be a string");
      }
      greeting_ = it->second.string_value();
    }
    return absl::OkStatus();
  }

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    const v1::CallFacts& call = request.call();
    if (std::optional<double> sleep = escalation::sdk::ExtensionNumber(call, sleep_ms_)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(*sleep)));
    }
    v1::Decision* here = escalation::sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, response);
    here->set_action(v1::RESOLVE_HERE);
    here->set_summary("Resolve in the department.");
#ifndef TEST_PLUGIN_UNVERSIONED
    (*here->mutable_extensions()->mutable_fields())["code_version"].set_string_value(
        TEST_PLUGIN_VERSION);
#endif
    escalation::sdk::AddScript(resolve_, "greeting",
                               escalation::sdk::FillCustomerName(
                                   greeting_ + " [customer name]", call.customer_name()),
                               here);
    if (escalation::sdk::HasReason(call, v1::CANCEL_CONTRACT) ||
        escalation::sdk::ExtensionBool(call, cancel_requested_).value_or(false)) {
      v1::Decision* transfer = escalation::sdk::Propose(v1::RETENTION_TRANSFER, response);
      transfer->set_action(v1::TRANSFER);
      transfer->set_destination(v1::Decision::RETENTION);
      transfer->set_transfer_mode(v1::WARM);
      escalation::sdk::AddStep(cancel_, "Transfer to Retention.", transfer);
    }
    if (escalation::sdk::HasReason(call, v1::SUPERVISOR_REQUEST)) {
      v1::Decision* takeover = escalation::sdk::Propose(v1::LEADERSHIP_DESK_TIER1, response);
      takeover->set_action(v1::SUPERVISOR_TAKEOVER);
      takeover->set_destination(v1::Decision::DIRECT_SUPERVISOR);
      escalation::sdk::AddStep(takeover_, "A supervisor takes over the call.", takeover);
    }
    return absl::OkStatus();
  }

  absl::Status Admit(const v1::PluginAdmitRequest& request,
                     v1::PluginAdmitResponse* response) const override {
    v1::Proposal* amended = response->mutable_amended();
    *amended = request.proposal();
    escalation::sdk::AddStep(admit_, "Retention accepts the transfer.",
                             amended->mutable_decision());
    return absl::OkStatus();
  }

  absl::Status Validate(const v1::PluginValidateRequest& request,
                        v1::PluginValidateResponse* response) const override {
    escalation::sdk::Cite(category_, response);
    if (request.task().category().empty()) {
      escalation::sdk::AddViolation(category_, "category", "Category is required.",
                                    v1::ERROR, response);
    }
    return absl::OkStatus();
  }

 private:
  const Rule& resolve_;
  const Rule& cancel_;
  const Rule& admit_;
  const Rule& takeover_;
  const Rule& category_;
  const v1::ExtensionFactInfo& sleep_ms_;
  const v1::ExtensionFactInfo& cancel_requested_;
  std::string greeting_ = "Hello";
};

}  // namespace

ESCALATION_PLUGIN(GoodPlugin, TEST_PLUGIN_NAME, TEST_PLUGIN_VERSION)
