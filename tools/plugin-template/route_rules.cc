// Article "Customer Service Escalations", as a route table: each row the
// declared rule, the article's condition on the call, the outcome it decides
// (data), and what depends on the call (here the customer's name).
#include "escalation/sdk/decision.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/outcome.h"
#include "rules.h"

namespace example {

sdk::RouteTable<Call> RouteRules() {
  return sdk::RouteTable<Call>({
      // "If the customer refuses to give information, use the suggested script."
      {{"example.refuses_information",
        "A customer who refuses to give information hears the suggested script",
        kEscalationsArticle},
       [](const Call& c) {
         return sdk::IsTrue(c.call.has_customer_refuses_information(),
                            c.call.customer_refuses_information());
       },
       sdk::Outcome()
           .Priority(v1::RESOLVE_IN_DEPARTMENT)
           .Action(v1::RESOLVE_HERE)
           .Summary("Ask for the information before contacting a supervisor."),
       [](const sdk::Rule& rule, const Call& c, v1::Decision* decision) {
         sdk::AddScript(rule, "example.refuses_information.script",
                        sdk::FillCustomerName(c.refuses_information_script,
                                              c.call.customer_name()),
                        decision);
       }},
  });
}

}  // namespace example
