// A table's outcomes as fixed texts (ABI 1.1): declaring a table declares
// each text of its outcomes that is not a slot once, citing its rule, and an
// answer through the plugin ABI cites them; a slot's text is written per call.
#include <memory>
#include <string>

#include "escalation/plugin_abi.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/records.h"
#include "escalation/sdk/rule_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::sdk {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Call {
  const v1::CallFacts& call;
};

const Rule kRecordRule{"f.record", "The record", "Article"};
const Rule kNoteRule{"f.note", "The note", "Article"};

class FixedOutcomePlugin : public Plugin {
 public:
  FixedOutcomePlugin() {
    RoutesFor(v1::CUSTOMER_SERVICE);
    DeclareRule(kRecordRule);
    DeclareRule(kNoteRule);
    DeclareRecordType(MakeRecordType("f.task", "A task", kRecordRule, v1::ZOHO, v1::T2_TASK,
                                     {{"Category", "category", "Fixed category", ""}}));
    DeclareTable(table_);
  }
  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    Apply(table_, Call{request.call()}, response);
    return absl::OkStatus();
  }
  const Outcome& outcome() const { return table_.rows().front().outcome; }

 private:
  RouteTable<Call> table_{{{{"f.transfer", "Transfer", "Article"},
                            [](const Call&) { return true; },
                            Outcome()
                                .Priority(v1::TIER2_SITUATION)
                                .Action(v1::TRANSFER)
                                .To(v1::Decision::TIER2)
                                .Summary("Fixed summary.")
                                .Script("f.script", "Fixed script.")
                                .Step("Fixed step.")
                                .Step(Slot{"site"})
                                .Record("f.task", "Fixed when", kRecordRule)
                                .Note("Fixed note.", "f.note"),
                            nullptr,
                            [](absl::string_view, const Call& c) {
                              return "Site " + c.call.site() + ".";
                            }}}};
};

TEST(FixedOutcomeTest, DeclaringATableDeclaresEachFixedTextCitingItsRule) {
  FixedOutcomePlugin plugin;
  ASSERT_TRUE(plugin.load_status().ok()) << plugin.load_status();
  const Outcome& o = plugin.outcome();
  ASSERT_NE(o.fixed_summary, nullptr);
  EXPECT_EQ(o.fixed_summary->decision().summary(), "Fixed summary.");
  ASSERT_NE(o.scripts[0].fixed, nullptr);
  EXPECT_EQ(o.scripts[0].fixed->decision().scripts(0).rule_id(), "f.transfer");
  ASSERT_NE(o.steps[0].fixed, nullptr);
  EXPECT_EQ(o.steps[0].fixed->decision().steps(0).text(), "Fixed step.");
  EXPECT_EQ(o.steps[1].fixed, nullptr);  // A slot depends on the call.
  ASSERT_NE(o.records[0].fixed, nullptr);
  const v1::RequiredRecord& record = o.records[0].fixed->decision().required_records(0);
  EXPECT_EQ(record.rule_id(), "f.record");
  EXPECT_EQ(record.record_type(), "f.task");
  EXPECT_EQ(record.fields(0).value(), "Fixed category");
  ASSERT_NE(o.notes[0].fixed, nullptr);
  EXPECT_EQ(o.notes[0].fixed->decision().notes(0), "Fixed note.");
  // Each piece is one item: its rule is cited per call, once.
  EXPECT_EQ(o.steps[0].fixed->decision().matched_rules_size(), 0);
}

std::unique_ptr<Plugin> MakeFixedOutcomePlugin() { return std::make_unique<FixedOutcomePlugin>(); }

std::string Take(const EscPluginDescriptor& d, EscBuffer* buffer) {
  std::string bytes(reinterpret_cast<const char*>(buffer->data), buffer->size);
  d.release_buffer(buffer);
  return bytes;
}

TEST(FixedOutcomeTest, ThroughTheAbiTheTextsCrossAtLoadAndAnswersCiteThem) {
  const EscPluginDescriptor d =
      internal::MakeDescriptor(&MakeFixedOutcomePlugin, "fixed_outcome", "1.0.0");
  EscPluginInstance* instance = nullptr;
  EscBuffer out{nullptr, 0};
  ASSERT_EQ(d.create(nullptr, 0, &instance, &out), ESC_OK) << Take(d, &out);
  ASSERT_EQ(d.fixed_texts(instance, &out), ESC_OK);
  const std::string declared = Take(d, &out);
  for (const char* text : {"Fixed summary.", "Fixed script.", "Fixed step.", "Fixed when",
                           "Fixed category", "Fixed note."}) {
    EXPECT_THAT(declared, HasSubstr(text));
  }
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_call()->set_site("Tampa");
  const std::string wire = request.SerializeAsString();
  ASSERT_EQ(d.route(instance, reinterpret_cast<const uint8_t*>(wire.data()), wire.size(), &out),
            ESC_OK);
  const std::string answer = Take(d, &out);
  EXPECT_THAT(answer, HasSubstr("\xEF\xB7\x90"));  // A citation (fixed_texts.cc).
  EXPECT_THAT(answer, HasSubstr("Site Tampa."));  // The slot, written.
  for (const char* text : {"Fixed summary.", "Fixed script.", "Fixed step.", "Fixed when",
                           "Fixed category", "Fixed note."}) {
    EXPECT_THAT(answer, Not(HasSubstr(text)));
  }
  // A cited item's ids, which the host replaces with its fragment, are not
  // written either.
  v1::PluginRouteResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(answer));
  ASSERT_EQ(parsed.proposals_size(), 1);
  const v1::Decision& decision = parsed.proposals(0).decision();
  ASSERT_EQ(decision.scripts_size(), 1);
  EXPECT_EQ(decision.scripts(0).id(), "");
  ASSERT_EQ(decision.required_records_size(), 1);
  EXPECT_EQ(decision.required_records(0).rule_id(), "");
  ASSERT_GE(decision.matched_rules_size(), 1);
  for (const v1::MatchedRule& rule : decision.matched_rules()) {
    EXPECT_EQ(rule.rule_id(), "") << rule.source_article();
    EXPECT_THAT(rule.source_article(), HasSubstr("\xEF\xB7\x90"));
  }
  d.destroy(instance);
}

}  // namespace
}  // namespace escalation::sdk
