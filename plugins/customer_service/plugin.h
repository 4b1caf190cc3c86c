// The Customer Service department plugin: routes CUSTOMER_SERVICE calls by its
// route table (rules.h; the rows beside their articles) and validates the
// final comments of a Service Request by its check table (CS-8).
//
// Configuration (plugins/customer_service/config.json):
//   {"sites": ["tampa", "manila"]}   the sites a call may name in call.site
//                                    (case-insensitive: "Tampa" is "tampa")
//   "_comment": "..."  optional free text, ignored
//   "approved_exception_comments": {"<REASON or THREAT>": ["..."], ...}
//       optional: the approved Exception Comments by reason, as the
//       leadership_desk plugin (which validates the exception) lists them;
//       the Call Back exception record offers those of the call's reasons.
#ifndef ESCALATION_PLUGINS_CUSTOMER_SERVICE_PLUGIN_H_
#define ESCALATION_PLUGINS_CUSTOMER_SERVICE_PLUGIN_H_

#include <optional>
#include <string>
#include <vector>

#include "escalation/sdk/coverage.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/reason_lists.h"
#include "escalation/sdk/rule_table.h"
#include "rules.h"

namespace escalation::customer_service {

class CustomerServicePlugin : public sdk::Plugin {
 public:
  CustomerServicePlugin();

  absl::Status Configure(const google::protobuf::Struct& config) override;
  absl::Status Route(const sdk::v1::PluginRouteRequest& request,
                     sdk::v1::PluginRouteResponse* response) const override;
  absl::Status Validate(const sdk::v1::PluginValidateRequest& request,
                        sdk::v1::PluginValidateResponse* response) const override;

  // The reasons and threats some row of the route table handles, derived by
  // probing it (the rest are named by cs.uncovered.reason_or_threat).
  const sdk::ReasonCoverage& coverage() const { return *route_.coverage(); }

 private:
  sdk::RouteTable<Call> route_;
  sdk::ValidateTable<Comments> comment_checks_;
  const v1::RecordTypeInfo* final_comments_;
  std::vector<std::string> sites_;  // In lower case.
  // Empty when not configured: the record then offers no list.
  std::optional<sdk::ReasonLists> exception_comments_;
};

}  // namespace escalation::customer_service

#endif  // ESCALATION_PLUGINS_CUSTOMER_SERVICE_PLUGIN_H_
