// Article "Tier 3 Escalations", as a validate table: each row the declared
// rule, when it applies to a task, and its check. Most Tier 3 tasks originate
// within the Tier 2 team. A T3 task is the example because no department
// plugin validates that kind: a plugin validates only kinds that are its own,
// or it can refuse tasks another plugin owns (the server lists every overlap
// in ListPlugins).
#include "escalation/sdk/decision.h"
#include "rules.h"

namespace example {

sdk::ValidateTable<Check> ValidateRules() {
  return sdk::ValidateTable<Check>({
      {{"example.t3_task.linked_task",
        "A T3 task names the task it was raised from (design reading: the "
        "article says most Tier 3 tasks originate within the Tier 2 team, so a "
        "missing link is a warning)",
        kTier3Article},
       [](const Check&) { return true; },  // Every T3 task.
       [](const sdk::Rule& rule, const Check& c, v1::PluginValidateResponse* response) {
         sdk::Cite(rule, response);
         if (!c.task.linked_task_ids().empty()) return;
         sdk::AddViolation(rule, "linked_task_ids",
                           "name the Tier 2 task this T3 task was raised from, if any",
                           v1::WARNING, response);
       }},
  });
}

}  // namespace example
