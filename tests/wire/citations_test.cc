// A plugin answer's citations of fixed texts (server/wire/fixed_texts.h)
// found by the walk that checks the answer, wherever a decision's field
// holds one, and the answer written with them expanded byte for byte as the
// walk that only finds them writes it; an answer the check refuses is still
// expanded, and still refused, as before.
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/engine/policy_engine.h"
#include "server/wire/fixed_texts.h"
#include "server/wire/wire_reader.h"
#include "tests/support/scripted_plugins.h"

namespace escalation::host {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using test::ScriptedPlugin;

constexpr uint32_t kAnswerProposal = v1::PluginRouteResponse::kProposalsFieldNumber;
constexpr uint32_t kProposalDecision = v1::Proposal::kDecisionFieldNumber;
constexpr uint32_t kSummary = v1::Decision::kSummaryFieldNumber;
constexpr uint32_t kScripts = v1::Decision::kScriptsFieldNumber;
constexpr uint32_t kNotes = v1::Decision::kNotesFieldNumber;
constexpr uint32_t kRules = v1::Decision::kMatchedRulesFieldNumber;
constexpr uint32_t kUnknown = 99;  // No field of Decision.

std::string Cite(int index) { return std::string(kCitationPrefix) + std::to_string(index); }

// The fragments the router declares: a note, a script, a summary.
std::string Fragment(int index) {
  v1::Decision d;
  if (index == 0) d.add_notes("A note declared once.");
  if (index == 1) {
    v1::Script* script = d.add_scripts();
    script->set_id("hello");
    script->set_text("Hello, this is the desk.");
  }
  if (index == 2) d.set_summary("Resolved here.");
  return d.SerializeAsString();
}

std::string Declared() {
  v1::PluginFixedTexts texts;
  for (int i = 0; i < 3; ++i) texts.add_decision_fragments(Fragment(i));
  return texts.SerializeAsString();
}

std::string Head() {
  v1::Decision head;
  head.set_action(v1::RESOLVE_HERE);
  return head.SerializeAsString();
}
std::string Length(uint32_t number, absl::string_view bytes) {
  std::string field;
  wire::AppendLength(number, bytes, &field);
  return field;
}
std::string Rule() {
  v1::MatchedRule rule;
  rule.set_rule_id("router.rule");
  return Length(kRules, rule.SerializeAsString());
}
// A script item citing fragment 1: its id, then its last field the citation.
std::string CitingScript() {
  v1::Script id;
  id.set_id("hello");
  return Length(kScripts, id.SerializeAsString() + Length(v1::Script::kTextFieldNumber, Cite(1)));
}
// A route answer of one proposal holding `decision`.
std::string Answer(absl::string_view decision) {
  v1::Proposal priority;
  priority.set_priority(v1::RESOLVE_IN_DEPARTMENT);
  return Length(kAnswerProposal,
                Length(kProposalDecision, decision) + priority.SerializeAsString());
}

std::unique_ptr<ScriptedPlugin> Router(std::string answer) {
  auto router = std::make_unique<ScriptedPlugin>("router");
  EXPECT_TRUE(router->Declares(Declared()).ok());
  router->RoutesWith(std::move(answer));
  return router;
}

struct Expanded {
  absl::Status status;
  std::string bytes = "untouched";
  bool cites = false, passes = false;
};
Expanded ExpandChecked(const Plugin& plugin, absl::string_view answer) {
  Expanded e;
  google::protobuf::Arena arena;
  absl::string_view expanded;
  e.status = ExpandCheckedCitations(plugin, *v1::PluginRouteResponse::descriptor(), answer,
                                    &arena, &expanded, &e.cites, &e.passes);
  e.bytes = std::string(expanded);
  return e;
}
// What the walk that only finds the citations writes.
Expanded ExpandOnly(const Plugin& plugin, absl::string_view answer) {
  Expanded e;
  e.status = ExpandCitations(plugin, *v1::PluginRouteResponse::descriptor(), answer, &e.bytes, &e.cites);
  return e;
}

absl::StatusOr<v1::RouteResponse> RouteWith(std::string answer) {
  std::vector<std::unique_ptr<Plugin>> plugins;
  plugins.push_back(Router(std::move(answer)));
  auto registry = PluginRegistry::FromPlugins(std::move(plugins));
  EXPECT_TRUE(registry.ok()) << registry.status();
  if (!registry.ok()) return registry.status();
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_evaluation_time()->set_seconds(1700000000);
  return PolicyEngine(*registry).Route(request, absl::FromUnixSeconds(1700000000));
}

// A citation as a text (the summary), as an item (a script), in a repeated
// text (a note) and in a field Decision does not have: each is replaced by
// its fragment, and the check passes the answer in the same walk.
TEST(CitationsTest, EachCitationIsExpandedWhereverItStands) {
  const std::string decision = Head() + Length(kSummary, Cite(2)) + CitingScript() +
                               Length(kNotes, "A plain note.") + Length(kUnknown, Cite(0)) +
                               Rule();
  const std::string expected = Answer(Head() + Fragment(2) + Fragment(1) +
                                      Length(kNotes, "A plain note.") + Fragment(0) + Rule());
  auto router = Router("");
  const Expanded checked = ExpandChecked(*router, Answer(decision));
  ASSERT_TRUE(checked.status.ok()) << checked.status;
  EXPECT_TRUE(checked.cites);
  EXPECT_TRUE(checked.passes);
  EXPECT_EQ(checked.bytes, expected);
  const Expanded only = ExpandOnly(*router, Answer(decision));
  EXPECT_EQ(only.bytes, expected);

  auto routed = RouteWith(Answer(decision));
  ASSERT_TRUE(routed.ok()) << routed.status();
  const v1::Decision& d = routed->decision();
  EXPECT_EQ(d.summary(), "Resolved here.");
  ASSERT_EQ(d.scripts_size(), 1);
  EXPECT_EQ(d.scripts(0).text(), "Hello, this is the desk.");
  EXPECT_THAT(d.notes(), ::testing::ElementsAre("A plain note.", "A note declared once."));
}

// Each proposal's and decision's size is written anew, as protobuf writes a
// size, also for a proposal that cites nothing and came with its size in
// more bytes than it needs.
TEST(CitationsTest, EverySizeOnTheWayToACitationIsWrittenAnew) {
  const std::string plain = Length(kProposalDecision, Head() + Length(kSummary, "Plain."));
  ASSERT_LT(plain.size(), 128u);
  std::string padded_size = {static_cast<char>(0x80 | plain.size()), '\0'};
  const std::string answer = Answer(Head() + Length(kSummary, Cite(2))) +
                             static_cast<char>(0x0A) + padded_size + plain;
  const std::string expected =
      Answer(Head() + Fragment(2)) + Length(kAnswerProposal, plain);
  auto router = Router("");
  const Expanded checked = ExpandChecked(*router, answer);
  ASSERT_TRUE(checked.status.ok()) << checked.status;
  EXPECT_TRUE(checked.passes);
  EXPECT_EQ(checked.bytes, expected);
  EXPECT_EQ(ExpandOnly(*router, answer).bytes, expected);
}

// The check refuses a note that is not UTF-8 before the walk reaches the
// citation after it: the answer is expanded all the same, and the engine
// refuses it as it refuses any answer protobuf would not parse.
TEST(CitationsTest, AnAnswerTheCheckRefusesIsExpandedAndRefused) {
  const std::string decision = Head() + Length(kNotes, "caf\xe9") + Length(kSummary, Cite(2));
  auto router = Router("");
  const Expanded checked = ExpandChecked(*router, Answer(decision));
  ASSERT_TRUE(checked.status.ok()) << checked.status;
  EXPECT_TRUE(checked.cites);
  EXPECT_FALSE(checked.passes);
  EXPECT_EQ(checked.bytes, Answer(Head() + Length(kNotes, "caf\xe9") + Fragment(2)));

  auto routed = RouteWith(Answer(decision));
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal) << routed.status();
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("plugin router returned bytes from route that do not parse as "
                        "escalation.v1.PluginRouteResponse"));
}

// A citation of a fragment never declared is the plugin's fault, also when
// the check has refused the answer before the walk reaches it.
TEST(CitationsTest, ACitationNeverDeclaredIsRefusedWhereverTheCheckStops) {
  auto router = Router("");
  for (const std::string& before : {std::string(), Length(kNotes, "caf\xe9")}) {
    const std::string answer = Answer(Head() + before + Length(kNotes, Cite(999)));
    const Expanded checked = ExpandChecked(*router, answer);
    EXPECT_EQ(checked.status.code(), absl::StatusCode::kInternal) << checked.status;
    EXPECT_THAT(std::string(checked.status.message()),
                AllOf(HasSubstr("plugin router"), HasSubstr("fixed text 999")));
    auto routed = RouteWith(answer);
    EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal) << routed.status();
    EXPECT_THAT(std::string(routed.status().message()),
                AllOf(HasSubstr("plugin router"), HasSubstr("fixed text 999")));
  }
}

// Bytes that are not wire format are left as they came (the parse words the
// error), citations and all.
TEST(CitationsTest, BrokenBytesAreLeftToTheParse) {
  std::string answer = Answer(Head() + Length(kSummary, Cite(2)));
  answer.pop_back();
  auto router = Router("");
  const Expanded checked = ExpandChecked(*router, answer);
  ASSERT_TRUE(checked.status.ok()) << checked.status;
  EXPECT_FALSE(checked.cites);
  EXPECT_FALSE(checked.passes);
  EXPECT_EQ(checked.bytes, answer);  // The answer itself, citing nothing.
  auto routed = RouteWith(answer);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal) << routed.status();
  EXPECT_THAT(std::string(routed.status().message()), HasSubstr("plugin router"));
}

}  // namespace
}  // namespace escalation::host
