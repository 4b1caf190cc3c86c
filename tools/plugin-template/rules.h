// The example department's rules, one table per hook beside the article lines
// it implements: the route table (route_rules.cc) and the validate table
// (validate_rules.cc), and what each reads. Copy, rename, and replace the
// rows with your department's.
#ifndef EXAMPLE_DEPARTMENT_RULES_H_
#define EXAMPLE_DEPARTMENT_RULES_H_

#include <string>

#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"

namespace example {

namespace sdk = ::escalation::sdk;
namespace v1 = ::escalation::v1;

inline constexpr char kEscalationsArticle[] = "Customer Service Escalations";
inline constexpr char kTier3Article[] = "Tier 3 Escalations";

// What the route rules read: the call, and the configuration's script.
struct Call {
  const v1::CallFacts& call;
  const std::string& refuses_information_script;
};
sdk::RouteTable<Call> RouteRules();

// What the validate rules read: the task.
struct Check {
  const v1::Task& task;
};
sdk::ValidateTable<Check> ValidateRules();

}  // namespace example

#endif  // EXAMPLE_DEPARTMENT_RULES_H_
