// The Leadership Desk plugin's configuration (plugins/leadership_desk/config.json):
//   {
//     "_comment": "...",   optional free text, ignored
//     "sites": {"<site>": {"leadership_desk_skill": "...", "booking_link": "..."}},
//     "approved_exception_comments": {"<REASON or THREAT>": ["...", ...], ...}
//   }
// (a plain list of comments is also accepted: then every call is offered all).
// The article names "the approved Exception Comments" without listing them:
// the list is the site's to provide; the shipped one holds examples only.
#ifndef ESCALATION_PLUGINS_LEADERSHIP_DESK_CONFIG_H_
#define ESCALATION_PLUGINS_LEADERSHIP_DESK_CONFIG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "escalation/sdk/reason_lists.h"
#include "google/protobuf/struct.pb.h"

namespace escalation::leadership_desk {

struct Site {
  std::string leadership_desk_skill;  // LD-1: the site specific skill.
  std::string booking_link;           // LD-3: the site specific booking link.
  // The steps that name them, written once per site (PrepareSiteSteps in
  // admit_rules.cc) rather than on every decision.
  std::string search_step;
  std::string booking_step;
};

struct Config {
  // By site name in lower case: site names are case-insensitive.
  std::map<std::string, Site> sites;
  // LD-5: the site-provided approved Exception Comments, by reason ("Enter
  // the appropriate comment based on the reason").
  sdk::ReasonLists approved_exception_comments;

  // The site named in a call, in any case ("Tampa" is "tampa"); nullptr when
  // the call names none (unknown: the decision says so); INVALID_ARGUMENT
  // naming call.site and the configured sites when it names one not
  // configured (a typo, not an unknown).
  absl::StatusOr<const Site*> FindSite(const std::string& name) const;
  // The configured site names, in order, joined by ", ".
  std::string SiteNames() const;
};

// Every error names the key at fault.
absl::StatusOr<Config> ParseConfig(const google::protobuf::Struct& config);

}  // namespace escalation::leadership_desk

#endif  // ESCALATION_PLUGINS_LEADERSHIP_DESK_CONFIG_H_
