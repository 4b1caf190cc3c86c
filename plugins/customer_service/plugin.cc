#include "plugin.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "escalation/sdk/config.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/time.h"

namespace escalation::customer_service {
namespace {

// The route table in the order its rows apply: the rows that propose, then
// those that amend or revise the proposals made (the Tier 1 help and Tier 2's
// revisions, the ServiceBench fields, the notes and steps every proposal of a
// kind carries), CS-9's proposal, and last the standard row for reasons no
// row handles.
Rows RouteRows() {
  Rows rows;
  for (Rows part : {RetentionProposals(), LeadershipDeskProposals(), Tier1Rows(),
                    Tier2Rows(),
                    Rows{ServiceBenchCallBackRow(), NotToRetentionRow(),
                         NotatePermissionRow(), RecordingDisclosureRow(),
                         RefusalScriptsRow()}}) {
    for (Row& row : part) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

CustomerServicePlugin::CustomerServicePlugin()
    : route_(RouteRows()), comment_checks_(CommentChecks()) {
  SetDescription(
      "Customer Service: transfers to Retention, Leadership Desk and Tier 2 "
      "escalations, Call Back exceptions");
  RoutesFor(v1::CUSTOMER_SERVICE);
  Validates(v1::SERVICE_REQUEST_COMMENT);
  final_comments_ = &DeclareRecordType(FinalCommentsType());
  // One proposal per action and destination, citing every rule that made it.
  route_.JoinSameProposal();
  // Probing which reasons the rows handle: the instant only moves Tier 2
  // between open and closed, any will do.
  route_.NameUncovered(UncoveredReasonsRow(), [](const v1::CallFacts& call) {
    return Call{call, absl::UnixEpoch()};
  });
  DeclareTable(route_);
  DeclareTable(comment_checks_);
}

absl::Status CustomerServicePlugin::Configure(const google::protobuf::Struct& config) {
  absl::Status known =
      sdk::RejectUnknownKeys(config, {"sites", "approved_exception_comments", "_comment"},
                             "customer_service configuration");
  if (!known.ok()) return known;
  absl::StatusOr<std::vector<std::string>> sites = sdk::RequireStringList(config, "sites");
  if (!sites.ok()) return sites.status();
  // Site names are case-insensitive: kept in lower case, as calls are read.
  std::vector<std::string> lower;
  for (const std::string& site : *sites) {
    std::string name = absl::AsciiStrToLower(site);
    if (std::find(lower.begin(), lower.end(), name) != lower.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("configuration key \"sites\" names the site \"", site,
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

absl::Status CustomerServicePlugin::Route(const v1::PluginRouteRequest& request,
                                          v1::PluginRouteResponse* response) const {
  const v1::CallFacts& call = request.call();
  // Case-insensitive; the error names the site as the call gave it.
  if (!call.site().empty() &&
      std::find(sites_.begin(), sites_.end(), absl::AsciiStrToLower(call.site())) ==
          sites_.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown site \"", sdk::Quote(call.site()), "\" in call.site (",
        "customer_service knows: ", absl::StrJoin(sites_, ", "), ")"));
  }
  if (absl::Status s = sdk::CheckPermissionFacts(call); !s.ok()) return s;
  if (!request.has_evaluation_time()) {
    return absl::InvalidArgumentError("evaluation_time is required");
  }
  sdk::Apply(route_, Call{call, sdk::FromProto(request.evaluation_time())}, response);
  if (exception_comments_.has_value()) {
    OfferExceptionComments(*exception_comments_, call, response);
  }
  return absl::OkStatus();
}

absl::Status CustomerServicePlugin::Validate(const v1::PluginValidateRequest& request,
                                             v1::PluginValidateResponse* response) const {
  const v1::Task& task = request.task();
  if (task.kind() != v1::SERVICE_REQUEST_COMMENT) {
    return absl::InvalidArgumentError(absl::StrCat(
        "customer_service does not validate task kind ", v1::TaskKind_Name(task.kind())));
  }
  sdk::Apply(comment_checks_, Comments{task, task.text(), *final_comments_}, response);
  return absl::OkStatus();
}

}  // namespace escalation::customer_service
