// The test plugins of the rule table tests: a plugin routing with one table
// row, and one admitting with a row that has a slot.
#ifndef ESCALATION_SDK_TESTS_RULE_TABLE_PLUGINS_H_
#define ESCALATION_SDK_TESTS_RULE_TABLE_PLUGINS_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/rule_table.h"

namespace escalation::sdk::rule_table_test {

struct Call {
  const v1::CallFacts& call;
};

inline const Rule kHours{"t.hours", "Hours apply", "Article"};
inline const Rule kRecordRule{"t.record", "The record", "Article"};

inline bool Cancels(const Call& c) { return HasThreat(c.call, v1::CANCEL_WARRANTY); }

// A plugin with one route row whose outcome names another rule by `cited_id`
// and requires record type `type_id`.
class TablePlugin : public Plugin {
 public:
  TablePlugin(std::string cited_id, std::string type_id)
      : table_({{{"t.transfer", "Transfer to T2", "Article"},
                 Cancels,
                 Outcome()
                     .Priority(v1::TIER2_SITUATION)
                     .Action(v1::TRANSFER)
                     .To(v1::Decision::TIER2)
                     .Mode(v1::WARM)
                     .Summary("Warm-transfer to T2.")
                     .Script("t.script", "Hello [customer name].")
                     .Steps({"Hold.", "Transfer."})
                     .Record(std::move(type_id), "after the call", kRecordRule)
                     .Note("Tier 2 may be closed.", std::move(cited_id)),
                 [](const Rule&, const Call& c, v1::Decision* d) {
                   d->set_summary(d->summary() + " " + c.call.customer_name());
                 }}}) {
    RoutesFor(v1::CUSTOMER_SERVICE);
    DeclareRule(kHours);
    DeclareRule(kRecordRule);
    DeclareRecordType(MakeRecordType("t.task", "A task", kRecordRule, v1::ZOHO,
                                     v1::T2_TASK, {{"Category", "category", "X", ""}}));
    table_.NameUncovered({{"t.uncovered", "Uncovered", "Article"},
                          v1::CUSTOMER_SERVICE,
                          v1::Decision::CUSTOMER_SERVICE,
                          "Nothing covers this call.",
                          "no rule covers this",
                          "."},
                         [](const v1::CallFacts& call) { return Call{call}; });
    DeclareTable(table_);
  }

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    Apply(table_, Call{request.call()}, response);
    return absl::OkStatus();
  }

  const RouteTable<Call>& table() const { return table_; }

 private:
  RouteTable<Call> table_;
};

// A slot keeps a text that depends on the call in its place among the fixed
// ones; a slot whose row gives no fill fails the load.
class SlotPlugin : public Plugin {
 public:
  explicit SlotPlugin(bool with_fill)
      : table_({{{"t.slot", "Slot", "Article"},
                 [](const Call&) { return true; },
                 Outcome().Step("Hold.").Step(Slot{"site"}).Step("Call."),
                 nullptr,
                 with_fill ? AdmitTable<Call>::Row::Fill(
                                 [](absl::string_view slot, const Call& c) {
                                   return std::string(slot) + ": " + c.call.site();
                                 })
                           : nullptr}}) {
    AdmitsFor(v1::Decision::LEADERSHIP_DESK);
    DeclareTable(table_);
  }
  AdmitTable<Call> table_;
};

}  // namespace escalation::sdk::rule_table_test

#endif  // ESCALATION_SDK_TESTS_RULE_TABLE_PLUGINS_H_
