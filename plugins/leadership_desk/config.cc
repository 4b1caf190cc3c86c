#include "config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/sdk/config.h"
#include "escalation/sdk/facts.h"

namespace escalation::leadership_desk {
namespace {

absl::Status InSite(const std::string& site, const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat("sites.", site, ": ", status.message()));
}

}  // namespace

absl::StatusOr<Config> ParseConfig(const google::protobuf::Struct& config) {
  // "_comment" is free text for the people who edit the file; it is ignored.
  absl::Status known = sdk::RejectUnknownKeys(
      config, {"sites", "approved_exception_comments", "_comment"},
      "leadership_desk configuration");
  if (!known.ok()) return known;
  Config out;
  absl::StatusOr<sdk::ReasonLists> comments =
      sdk::ReasonLists::Parse(config, "approved_exception_comments");
  if (!comments.ok()) return comments.status();
  out.approved_exception_comments = *std::move(comments);
  absl::StatusOr<const google::protobuf::Struct*> sites =
      sdk::RequireObject(config, "sites");
  if (!sites.ok()) return sites.status();
  if ((*sites)->fields().empty()) {
    return absl::InvalidArgumentError(
        "configuration key \"sites\" must name at least one site");
  }
  for (const auto& [name, value] : (*sites)->fields()) {
    if (!value.has_struct_value()) {
      return InSite(name, absl::InvalidArgumentError("must be an object"));
    }
    const google::protobuf::Struct& s = value.struct_value();
    absl::Status site_known = sdk::RejectUnknownKeys(
        s, {"leadership_desk_skill", "booking_link"}, "this site");
    if (!site_known.ok()) return InSite(name, site_known);
    absl::StatusOr<std::string> skill =
        sdk::RequireString(s, "leadership_desk_skill");
    if (!skill.ok()) return InSite(name, skill.status());
    absl::StatusOr<std::string> link = sdk::RequireString(s, "booking_link");
    if (!link.ok()) return InSite(name, link.status());
    // Site names are case-insensitive: kept in lower case, as calls are read.
    const std::string key = absl::AsciiStrToLower(name);
    if (out.sites.count(key) > 0) {
      return InSite(name, absl::InvalidArgumentError(
                              "names a site already configured (site names "
                              "are case-insensitive)"));
    }
    Site& site = out.sites[key];
    site.leadership_desk_skill = *std::move(skill);
    site.booking_link = *std::move(link);
  }
  return out;
}

absl::StatusOr<const Site*> Config::FindSite(const std::string& name) const {
  if (name.empty()) return nullptr;
  // Case-insensitive; the error names the site as the call gave it.
  auto it = sites.find(absl::AsciiStrToLower(name));
  if (it == sites.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown site \"", sdk::Quote(name), "\" in call.site (",
                     "leadership_desk knows: ", SiteNames(), ")"));
  }
  return &it->second;
}

std::string Config::SiteNames() const {
  std::vector<std::string> known;
  for (const auto& [site, unused] : sites) known.push_back(site);
  return absl::StrJoin(known, ", ");
}

}  // namespace escalation::leadership_desk
