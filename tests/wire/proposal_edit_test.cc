// An admitter's edit of a proposal (plugin ABI 1.2, server/wire/proposal_edit.h):
// applied on the proposal's bytes as plugin.proto says (declared output
// edits, resets, then a protobuf merge), what an admitter that admits by edit
// is sent, and the refusals that name the plugin.
#include "server/wire/proposal_edit.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/engine/policy_engine.h"
#include "server/wire/wire_reader.h"
#include "tests/support/scripted_plugins.h"

namespace escalation::host {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::ScriptedEngine;

v1::OutputEdit Removes(std::string by, std::string rule, std::string script = "") {
  v1::OutputEdit e;
  e.set_rule_id(std::move(by));
  e.set_removes_rule_id(std::move(rule));
  e.set_removes_script_id(std::move(script));
  return e;
}

v1::PluginManifest Declaring(std::vector<v1::OutputEdit> edits) {
  v1::PluginManifest m;
  for (v1::OutputEdit& e : edits) *m.add_output_edits() = std::move(e);
  return m;
}

// The router's proposal: a live transfer to the desk, with a disclosure.
v1::Proposal ToTheDesk() {
  v1::Proposal p;
  p.set_priority(v1::LEADERSHIP_DESK_TIER1);
  v1::Decision* d = p.mutable_decision();
  d->set_action(v1::TRANSFER);
  d->set_destination(v1::Decision::LEADERSHIP_DESK);
  d->set_transfer_mode(v1::LIVE);
  d->set_summary("Transfer to the desk.");
  v1::Script* disclosure = d->add_scripts();
  disclosure->set_id("recording_disclosure");
  disclosure->set_rule_id("router.disclosure");
  d->add_scripts()->set_id("kept");
  d->add_steps()->set_text("First.");
  d->add_matched_rules()->set_rule_id("router.rule");
  d->add_matched_rules()->set_rule_id("router.disclosure");
  d->mutable_callback()->set_summary("Kept, merged.");
  return p;
}

// The call back path's edit.
v1::ProposalEdit CallBack() {
  v1::ProposalEdit edit;
  edit.add_output_edits_by("admitter.rule");
  edit.mutable_resets()->add_paths("transfer_mode");
  v1::Decision* d = edit.mutable_decision();
  d->set_action(v1::SCHEDULE_CALLBACK);
  d->add_steps()->set_text("Then.");
  d->add_matched_rules()->set_rule_id("admitter.rule");
  d->mutable_callback()->set_if_unreachable("Voicemail.");
  return edit;
}

// What plugin.proto says the edit makes of the proposal, with messages.
v1::Proposal Expected() {
  v1::Proposal p = ToTheDesk();
  v1::Decision* d = p.mutable_decision();
  d->mutable_scripts()->DeleteSubrange(0, 1);
  d->mutable_matched_rules()->DeleteSubrange(1, 1);
  d->clear_transfer_mode();
  d->MergeFrom(CallBack().decision());
  return p;
}

absl::StatusOr<v1::Proposal> Apply(const std::string& proposal, const v1::ProposalEdit& edit,
                                   const v1::PluginManifest& manifest) {
  google::protobuf::Arena arena;
  absl::StatusOr<absl::string_view> bytes =
      ApplyProposalEdit(proposal, edit.SerializeAsString(), manifest, &arena);
  if (!bytes.ok()) return bytes.status();
  v1::Proposal parsed;
  if (!parsed.ParseFromArray(bytes->data(), static_cast<int>(bytes->size()))) {
    return absl::InternalError("unparseable");
  }
  return parsed;
}

const v1::PluginManifest kDeclared =
    Declaring({Removes("admitter.rule", "router.disclosure", "recording_disclosure")});

TEST(ProposalEditTest, IsAppliedAsPluginProtoSays) {
  absl::StatusOr<v1::Proposal> edited = Apply(ToTheDesk().SerializeAsString(), CallBack(), kDeclared);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->SerializeAsString(), Expected().SerializeAsString());
  EXPECT_EQ(edited->decision().callback().summary(), "Kept, merged.");
  EXPECT_EQ(edited->decision().callback().if_unreachable(), "Voicemail.");
  EXPECT_EQ(edited->priority(), v1::LEADERSHIP_DESK_TIER1);
}

// A decision in two pieces is one message to protobuf: so it is to the edit,
// and the edited proposal's decision is one piece.
TEST(ProposalEditTest, ADecisionInPiecesIsEditedWhole) {
  const std::string whole = ToTheDesk().SerializeAsString();
  v1::Proposal head;
  head.set_priority(v1::LEADERSHIP_DESK_TIER1);
  head.mutable_decision()->set_destination(v1::Decision::LEADERSHIP_DESK);
  std::string pieces = head.SerializeAsString();
  v1::Proposal rest = ToTheDesk();
  rest.clear_priority();
  pieces += rest.SerializeAsString();
  absl::StatusOr<v1::Proposal> edited = Apply(pieces, CallBack(), kDeclared);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->SerializeAsString(), Expected().SerializeAsString());
  google::protobuf::Arena arena;
  auto bytes = ApplyProposalEdit(pieces, CallBack().SerializeAsString(), kDeclared, &arena);
  ASSERT_TRUE(bytes.ok());
  int decisions = 0;
  wire::ForEachLength(*bytes, 1, [&](absl::string_view) { ++decisions; });
  EXPECT_EQ(decisions, 1);
}

// A script is removed only when both its id and its rule are the declared
// ones; a rule's citation, whatever else it holds.
TEST(ProposalEditTest, RemovesOnlyWhatTheManifestDeclares) {
  v1::Proposal p = ToTheDesk();
  v1::Script* other = p.mutable_decision()->add_scripts();
  other->set_id("recording_disclosure");
  other->set_rule_id("someone.else");
  absl::StatusOr<v1::Proposal> edited = Apply(p.SerializeAsString(), CallBack(), kDeclared);
  ASSERT_TRUE(edited.ok()) << edited.status();
  std::vector<std::string> scripts;
  for (const auto& s : edited->decision().scripts()) scripts.push_back(s.id() + "/" + s.rule_id());
  EXPECT_THAT(scripts, ElementsAre("kept/", "recording_disclosure/someone.else"));
}

TEST(ProposalEditTest, AnUndeclaredOutputEditOrResetIsRefusedNamingIt) {
  v1::ProposalEdit edit = CallBack();
  auto undeclared = Apply(ToTheDesk().SerializeAsString(), edit, v1::PluginManifest());
  EXPECT_EQ(undeclared.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(undeclared.status().message()),
              HasSubstr("rule \"admitter.rule\", for which its manifest declares none"));
  edit.mutable_resets()->add_paths("no_such_field");
  auto reset = Apply(ToTheDesk().SerializeAsString(), edit, kDeclared);
  EXPECT_EQ(reset.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(reset.status().message()),
              HasSubstr("resets \"no_such_field\", which is no field of escalation.v1.Decision"));
}

// ---- Through the engine ----

ScriptedEngine EditingEngine(absl::StatusOr<std::string> admit_answer) {
  ScriptedEngine e = test::EngineProposing(
      ToTheDesk().SerializeAsString(), std::move(admit_answer),
      std::vector<v1::OutputEdit>{
          Removes("admitter.rule", "router.disclosure", "recording_disclosure")});
  EXPECT_NE(e.engine, nullptr);
  return e;
}

v1::RouteRequest Call() { return test::ScriptedCall(); }

std::string Answer(const v1::ProposalEdit& edit) {
  v1::PluginAdmitResponse answer;
  *answer.mutable_edit() = edit;
  return answer.SerializeAsString();
}

TEST(AdmitByEditTest, TheAdmitterIsSentTheHeadAndItsEditMakesTheDecision) {
  ScriptedEngine e = EditingEngine(Answer(CallBack()));
  auto routed = e.engine->Route(Call(), absl::Now());
  ASSERT_TRUE(routed.ok()) << routed.status();
  v1::PluginAdmitRequest sent;
  ASSERT_TRUE(sent.ParseFromString(e.admitter->admit_request()));
  v1::Proposal head;
  head.set_priority(v1::LEADERSHIP_DESK_TIER1);
  head.mutable_decision()->set_action(v1::TRANSFER);
  head.mutable_decision()->set_destination(v1::Decision::LEADERSHIP_DESK);
  EXPECT_EQ(sent.proposal().SerializeAsString(), head.SerializeAsString());
  EXPECT_EQ(sent.call().department(), v1::CUSTOMER_SERVICE);

  const v1::Decision& d = routed->decision();
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_EQ(d.transfer_mode(), v1::TRANSFER_MODE_UNSPECIFIED);
  ASSERT_EQ(d.scripts_size(), 1);
  EXPECT_EQ(d.scripts(0).id(), "kept");
  std::vector<std::string> credited;
  for (const auto& rule : d.matched_rules()) credited.push_back(rule.rule_id() + " by " + rule.plugin());
  EXPECT_THAT(credited, ElementsAre("router.rule by router", "admitter.rule by admitter"));
  std::vector<std::string> steps;
  for (const auto& step : d.steps()) steps.push_back(step.text());
  EXPECT_THAT(steps, ElementsAre("First.", "Then."));
}

TEST(AdmitByEditTest, AnEditTheServerCannotApplyFailsTheCallNamingThePlugin) {
  v1::ProposalEdit edit = CallBack();
  edit.set_output_edits_by(0, "admitter.undeclared");
  ScriptedEngine e = EditingEngine(Answer(edit));
  auto routed = e.engine->Route(Call(), absl::Now());
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("plugin admitter answered Admit with an edit this server cannot apply: "
                        "its edit makes the output edits of rule \"admitter.undeclared\""));
}

TEST(AdmitByEditTest, AnAmendedProposalAndAnEditTogetherAreRefused) {
  v1::PluginAdmitResponse both;
  *both.mutable_edit() = CallBack();
  *both.mutable_amended() = ToTheDesk();
  ScriptedEngine e = EditingEngine(both.SerializeAsString());
  auto routed = e.engine->Route(Call(), absl::Now());
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(routed.status().message()),
              HasSubstr("plugin admitter answered Admit with both an amended proposal and an "
                        "edit"));
}

}  // namespace
}  // namespace escalation::host
