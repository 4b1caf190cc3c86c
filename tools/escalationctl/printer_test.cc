#include "tools/escalationctl/printer.h"

#include <sstream>

#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace escalationctl {
namespace {

namespace v1 = ::escalation::v1;
using ::testing::HasSubstr;
using ::testing::Not;

template <typename M>
std::string Print(const std::string& text, void (*print)(const M&, std::ostream&)) {
  M message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  std::ostringstream out;
  print(message, out);
  return out.str();
}

TEST(PrinterTest, ExplainsARouteDecision) {
  const std::string text = Print<v1::RouteResponse>(R"pb(
    decision {
      action: TRANSFER destination: LEADERSHIP_DESK transfer_mode: LIVE
      requires_supervisor_approval: true
      summary: "Live transfer to the Leadership Desk."
      scripts { text: "Thank you for holding." rule_id: "ld.callback.offer" }
      steps { text: "Place the caller on hold." rule_id: "ld.live_transfer" }
      steps { text: "Click the Consult/Transfer icon." rule_id: "ld.live_transfer" }
      required_records {
        system: SERVICEBENCH kind: CALL_BACK_EXCEPTION when: "once the call has ended"
        fields { name: "Exception Type" value: "Call Back" }
        fields { name: "Comment" allowed_values: [ "A", "B" ] }
      }
      required_records { kind: JOB_NOTE when: "after the transfer" }
      callback {
        summary: "Contact within 5 minutes of the window."
        first_contact_within { seconds: 300 }
        first_contact_due { seconds: 1795446300 }
      }
      destination_hours { destination: TIER2 open_now: false next_opening { seconds: 1795446000 } }
      notes: "Tier 2 is closed."
      matched_rules {
        rule_id: "ld.live_transfer" title: "Live transfer steps"
        source_article: "Leadership Desk" plugin: "leadership" plugin_version: "1.0.0"
      }
    }
    evaluation_time { seconds: 1795446000 })pb", &PrintRoute);
  EXPECT_THAT(text, HasSubstr("Decision: TRANSFER -> LEADERSHIP_DESK (LIVE transfer)"));
  EXPECT_THAT(text, HasSubstr("Needs a supervisor's permission first."));
  EXPECT_THAT(text, HasSubstr("\"Thank you for holding.\"  [ld.callback.offer]"));
  EXPECT_THAT(text, HasSubstr("  2. Click the Consult/Transfer icon.  [ld.live_transfer]"));
  EXPECT_THAT(text, HasSubstr("CALL_BACK_EXCEPTION in SERVICEBENCH, once the call has ended"));
  EXPECT_THAT(text, HasSubstr("Exception Type: \"Call Back\""));
  // A record whose system the policy does not name says none.
  EXPECT_THAT(text, HasSubstr("  - JOB_NOTE, after the transfer"));
  EXPECT_THAT(text, Not(HasSubstr("TASK_SYSTEM_UNSPECIFIED")));
  EXPECT_THAT(text, HasSubstr("one of: A | B"));
  EXPECT_THAT(text, HasSubstr("first contact within 5m, due 2026-11-23T15:05:00Z"));
  EXPECT_THAT(text, HasSubstr("Hours of TIER2: CLOSED now"));
  EXPECT_THAT(text, HasSubstr("next opening: 2026-11-23T15:00:00Z (Mon 2026-11-23 10:00 EST)"));
  EXPECT_THAT(text, HasSubstr("- Tier 2 is closed."));
  EXPECT_THAT(text, HasSubstr("article \"Leadership Desk\"; plugin leadership 1.0.0"));
}

TEST(PrinterTest, ExplainsAnInvalidTask) {
  const std::string text = Print<v1::ValidateTaskResponse>(R"pb(
    valid: false
    violations {
      rule_id: "ms.t2.one_reason" field: "resolution_reasons"
      message: "Select only one reason." severity: ERROR plugin: "membership"
    }
    violations {
      rule_id: "ms.t2.created_after_call" field: "created_at"
      message: "Cannot check." severity: WARNING plugin: "membership"
    }
    findings { rule_id: "ms.t2.outcome" code: "customer_retained" message: "Kept." })pb",
                                                    &PrintValidation);
  // Warnings are counted apart from errors.
  EXPECT_THAT(text, HasSubstr("Task is INVALID (1 error, 1 warning)"));
  EXPECT_THAT(text, HasSubstr("ERROR in field 'resolution_reasons': Select only one reason."));
  EXPECT_THAT(text, HasSubstr("rule ms.t2.one_reason, plugin membership"));
  EXPECT_THAT(text, HasSubstr("customer_retained: Kept."));
}

TEST(PrinterTest, ListsPlugins) {
  const std::string text = Print<v1::ListPluginsResponse>(R"pb(
    plugins {
      manifest {
        name: "example" version: "0.1.0" routes_for: CUSTOMER_SERVICE validates: JOB_NOTE
        rules { id: "example.a" title: "A rule" source_article: "Leadership Desk" }
      }
      path: "/p/example.so" abi_major: 1 abi_minor: 0
    })pb", &PrintPlugins);
  EXPECT_THAT(text, HasSubstr("example 0.1.0 (ABI 1.0)"));
  EXPECT_THAT(text, HasSubstr("routes calls of: CUSTOMER_SERVICE"));
  EXPECT_THAT(text, HasSubstr("validates: JOB_NOTE"));
  EXPECT_THAT(text, HasSubstr("config: (none)"));
  EXPECT_THAT(text, HasSubstr("example.a: A rule (\"Leadership Desk\")"));
  EXPECT_THAT(text, Not(HasSubstr("edits proposals")));
}

TEST(PrinterTest, ListsWhatAPluginRemovesFromProposalsItAdmits) {
  const std::string text = Print<v1::ListPluginsResponse>(R"pb(
    plugins {
      manifest {
        name: "desk" version: "1.0.0" admits_for: LEADERSHIP_DESK
        rules { id: "desk.callback" title: "Call back" source_article: "Leadership Desk" }
        output_edits {
          rule_id: "desk.callback" removes_rule_id: "cs.transfer.recording_disclosure"
          removes_script_id: "recording_disclosure"
        }
      }
      path: "/p/desk.so" abi_major: 1 abi_minor: 0
    })pb", &PrintPlugins);
  EXPECT_THAT(text, HasSubstr("  edits proposals it admits:\n"
                              "    - desk.callback removes the citation of "
                              "cs.transfer.recording_disclosure and its script "
                              "recording_disclosure\n"));
}

}  // namespace
}  // namespace escalationctl
