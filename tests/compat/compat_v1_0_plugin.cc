// A plugin as a department would have built it against the first v1 release.
// Its answers touch every kind of field that crosses the boundary (enums,
// repeated messages, Timestamp, Duration, Struct) so the test sees each one
// survive the trip into the current host.
#include "absl/time/time.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/time.h"

namespace compat {

namespace sdk = ::escalation::sdk;
namespace v1 = ::escalation::v1;

class CompatV1_0 : public sdk::Plugin {
 public:
  CompatV1_0() {
    SetDescription("Built against the frozen v1.0 API.");
    RoutesFor(v1::MEMBERSHIP_SERVICES);
    Validates(v1::T2_TASK);
  }

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    const v1::CallFacts& call = request.call();
    if (!sdk::HasThreat(call, v1::CANCEL_WARRANTY)) return absl::OkStatus();
    v1::Decision* decision = sdk::Propose(v1::TIER2_SITUATION, response);
    decision->set_action(v1::TRANSFER);
    decision->set_destination(v1::Decision::TIER2);
    decision->set_transfer_mode(v1::WARM);
    decision->set_summary("Warm transfer to Tier 2.");
    sdk::AddScript(transfer_, "compat.script", sdk::FillCustomerName("[customer name], one moment.",
                                                                     call.customer_name()),
                   decision);
    sdk::AddStep(transfer_, "Warm transfer the caller to Tier 2.", decision);
    v1::RequiredRecord* record = sdk::AddRecord(transfer_, v1::ZOHO, v1::T2_TASK,
                                                "after the call", decision);
    sdk::AddField("Category", "Membership Services", "", record);
    v1::CallbackPromise* callback = decision->mutable_callback();
    const absl::Time anchor = sdk::FromProto(request.evaluation_time());
    *callback->mutable_anchor() = sdk::ToProto(anchor);
    *callback->mutable_first_contact_within() = sdk::ToProto(absl::Minutes(5));
    *callback->mutable_first_contact_due() = sdk::ToProto(anchor + absl::Minutes(5));
    // Echo an extension fact back, through Struct on both legs.
    auto& in = call.extensions().fields();
    if (auto it = in.find("ticket"); it != in.end()) {
      (*decision->mutable_extensions()->mutable_fields())["ticket"] = it->second;
    }
    return absl::OkStatus();
  }

  absl::Status Validate(const v1::PluginValidateRequest& request,
                        v1::PluginValidateResponse* response) const override {
    sdk::Cite(one_reason_, response);
    if (request.task().resolution_reasons_size() != 1) {
      sdk::AddViolation(one_reason_, "resolution_reasons", "Select exactly one reason.",
                        v1::ERROR, response);
    }
    return absl::OkStatus();
  }

 private:
  const sdk::Rule& transfer_ = DeclareRule(
      {"compat.transfer", "Warm transfer to Tier 2",
       "T2 Live Transfer from Membership Services"});
  const sdk::Rule& one_reason_ = DeclareRule(
      {"compat.one_reason", "One resolution reason",
       "T2 Live Transfer from Membership Services"});
};

}  // namespace compat

ESCALATION_PLUGIN(compat::CompatV1_0, "compat_v1_0", "1.0.0")
