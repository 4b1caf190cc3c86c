#include "customer_service_plugin.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/config.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/time.h"
#include "rule_kinds.h"
#include "rules.h"

namespace escalation::customer_service {

CustomerServicePlugin::CustomerServicePlugin() {
  SetDescription(
      "Customer Service: transfers to Retention, Leadership Desk and Tier 2 "
      "escalations, Call Back exceptions");
  RoutesFor(v1::CUSTOMER_SERVICE);
  Validates(v1::SERVICE_REQUEST_COMMENT);
  DeclareRules(RouteRules());
  DeclareRecordType(FinalCommentsType());
}

absl::Status CustomerServicePlugin::Configure(
    const google::protobuf::Struct& config) {
  absl::Status known =
      sdk::RejectUnknownKeys(config, {"sites", "approved_exception_comments", "_comment"},
                             "customer_service configuration");
  if (!known.ok()) return known;
  absl::StatusOr<std::vector<std::string>> sites =
      sdk::RequireStringList(config, "sites");
  if (!sites.ok()) return sites.status();
  // Site names are case-insensitive: kept in lower case, as calls are read.
  std::vector<std::string> lower;
  for (const std::string& site : *sites) {
    std::string name = absl::AsciiStrToLower(site);
    if (std::find(lower.begin(), lower.end(), name) != lower.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "configuration key \"sites\" names the site \"", site,
          "\" twice (site names are case-insensitive)"));
    }
    lower.push_back(std::move(name));
  }
  sites_ = std::move(lower);
  exception_comments_.reset();
  if (config.fields().contains("approved_exception_comments")) {
    absl::StatusOr<sdk::ReasonLists> comments =
        sdk::ReasonLists::Parse(config, "approved_exception_comments");
    if (!comments.ok()) return comments.status();
    exception_comments_ = *std::move(comments);
  }
  return absl::OkStatus();
}

absl::Status CustomerServicePlugin::Route(
    const v1::PluginRouteRequest& request,
    v1::PluginRouteResponse* response) const {
  const v1::CallFacts& call = request.call();
  // Case-insensitive; the error names the site as the call gave it.
  if (!call.site().empty() &&
      std::find(sites_.begin(), sites_.end(),
                absl::AsciiStrToLower(call.site())) == sites_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown site \"", sdk::Quote(call.site()), "\" in call.site (",
                     "customer_service knows: ", absl::StrJoin(sites_, ", "),
                     ")"));
  }
  if (absl::Status s = sdk::CheckPermissionFacts(call); !s.ok()) return s;
  if (!request.has_evaluation_time()) {
    return absl::InvalidArgumentError("evaluation_time is required");
  }
  Outcome outcome(call, sdk::FromProto(request.evaluation_time()), response);
  sdk::Apply(RouteRules(), outcome);
  if (exception_comments_.has_value()) {
    OfferExceptionComments(exception_comments_->ForCall(call), response);
  }
  return absl::OkStatus();
}

// CS-8: the final comments must notate the supervisor's permission. Free text
// cannot be proven to do so: an empty comment is an error, a comment that never
// mentions a supervisor is a warning (design reading).
absl::Status CustomerServicePlugin::Validate(
    const v1::PluginValidateRequest& request,
    v1::PluginValidateResponse* response) const {
  const v1::Task& task = request.task();
  if (task.kind() != v1::SERVICE_REQUEST_COMMENT) {
    return absl::InvalidArgumentError(
        absl::StrCat("customer_service does not validate task kind ",
                     v1::TaskKind_Name(task.kind())));
  }
  const sdk::Rule& rule = NotatePermissionRule();
  sdk::Cite(rule, response);
  const std::string text = absl::AsciiStrToLower(task.text());
  if (absl::StripAsciiWhitespace(text).empty()) {
    sdk::AddViolation(rule, "text",
                      "The final comments of the Service Request are empty: "
                      "notate the supervisor's permission (Call Back exception "
                      "or Tier 2).",
                      v1::ERROR, response);
  } else if (text.find("supervisor") == std::string::npos) {
    sdk::AddViolation(rule, "text",
                      "The final comments never mention a supervisor: notate "
                      "the supervisor's permission (Call Back exception or "
                      "Tier 2).",
                      v1::WARNING, response);
  }
  if (task.record_type() == kFinalComments) {
    sdk::CheckRecordFields(rule, FinalCommentsType(), task, response);
  }
  return absl::OkStatus();
}

}  // namespace escalation::customer_service
