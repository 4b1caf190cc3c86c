// Unit tests of the TS&R routing rules besides a request to speak with a
// Supervisor: the manifest and configuration, TSR-6 (threats) and TSR-7 (the
// escalation types the process does not apply to); for each rule a case
// where it fires and a close case where it must not. Expected words are
// written out here, not taken from rules.h, so a change of wording fails.
#include <string>
#include <vector>

#include "rules.h"
#include "route_fixture.h"

namespace escalation::telesales_retention {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;
using namespace testing_util;  // NOLINT

TEST_F(TsrTest, ManifestDeclaresEveryRuleOnceWithItsArticle) {
  const v1::PluginManifest& m = plugin_.manifest();
  EXPECT_THAT(m.routes_for(), ElementsAre(v1::TELESALES_RETENTION));
  EXPECT_THAT(m.validates(), ElementsAre(v1::SUPERVISOR_CALLBACK_REQUEST,
                                         v1::COMMUNICATION_HISTORY_ENTRY));
  std::vector<std::string> ids;
  for (const v1::RuleInfo& r : m.rules()) {
    EXPECT_EQ(r.source_article(), "Telesales and Retention Call Escalations");
    // Only this rule is the article's text with no reading of ours.
    if (r.id() != "tsr.callback_request.in_quickbase") {
      EXPECT_THAT(r.title(), ::testing::HasSubstr("design reading")) << r.id();
    }
    EXPECT_EQ(r.id().rfind("tsr.", 0), 0u) << r.id();
    EXPECT_FALSE(r.title().empty());
    EXPECT_THAT(ids, Not(Contains(r.id())));
    ids.push_back(r.id());
  }
  EXPECT_EQ(ids.size(), 15u);
}

TEST_F(TsrTest, TakesOnlyProcessLinks) {
  TelesalesRetentionPlugin plugin;
  EXPECT_TRUE(plugin.Configure(google::protobuf::Struct()).ok());
  google::protobuf::Struct config;
  (*config.mutable_fields())["site"].set_string_value("x");
  EXPECT_FALSE(plugin.Configure(config).ok());
  // A link for a reason that is not an excluded type is refused, named.
  google::protobuf::Struct links;
  (*(*links.mutable_fields())["process_links"].mutable_struct_value()
        ->mutable_fields())["SUPERVISOR_REQUEST"].set_string_value("https://x");
  const absl::Status s = plugin.Configure(links);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("\"SUPERVISOR_REQUEST\""));
}

// TSR-7: "Follow the dedicated process" names it as the articles title it,
// with its link when one is configured.
TEST_F(TsrTest, DedicatedProcessIsNamedAsTitledWithItsConfiguredLink) {
  auto step = [&](v1::Reason reason) {
    v1::Proposal p = Only(Call({reason}));
    return p.decision().steps_size() == 1 ? p.decision().steps(0).text() : "";
  };
  EXPECT_EQ(step(v1::MEDICAL_EMERGENCY),
            "Follow the dedicated process: Telesales and Retention Medical "
            "Transfer Process.");
  EXPECT_EQ(step(v1::MEDIA_INQUIRY),
            "Follow the dedicated process: Cinch Media Policy and Guidelines.");
  google::protobuf::Struct config;
  (*(*config.mutable_fields())["process_links"].mutable_struct_value()
        ->mutable_fields())["MEDICAL_EMERGENCY"]
      .set_string_value("https://kb.example/medical-transfer");
  ASSERT_TRUE(plugin_.Configure(config).ok());
  EXPECT_EQ(step(v1::MEDICAL_EMERGENCY),
            "Follow the dedicated process: Telesales and Retention Medical "
            "Transfer Process (https://kb.example/medical-transfer).");
  EXPECT_EQ(step(v1::MEDIA_INQUIRY),
            "Follow the dedicated process: Cinch Media Policy and Guidelines.");
}

TEST_F(TsrTest, NoSupervisorRequestNoThreatProposesNothing) {
  EXPECT_EQ(Route(Call({v1::BILLING_INQUIRY})).proposals_size(), 0);
}

TEST_F(TsrTest, RouteRequiresEvaluationTime) {
  v1::PluginRouteRequest request;
  *request.mutable_call() = Call({v1::SUPERVISOR_REQUEST});
  v1::PluginRouteResponse response;
  EXPECT_FALSE(plugin_.Route(request, &response).ok());
}

// TSR-6
TEST_F(TsrTest, NamedThreatsNotifyASupervisor) {
  for (v1::Threat threat : {v1::BBB_COMPLAINT, v1::LEGAL_ACTION, v1::SOCIAL_MEDIA}) {
    v1::Proposal p = Only(Call({}, {threat}));
    EXPECT_EQ(p.decision().action(), v1::RESOLVE_HERE);
    EXPECT_THAT(StepTexts(p.decision()),
                ElementsAre("Notify a supervisor.", "Document the account accordingly."));
    EXPECT_THAT(RuleIds(p.decision()), ElementsAre("tsr.threat.notify_supervisor"));
  }
}

TEST_F(TsrTest, OtherThreatsAreNotThisRule) {
  EXPECT_EQ(Route(Call({}, {v1::ONLINE_REVIEW, v1::NEWS_MEDIA})).proposals_size(), 0);
}

TEST_F(TsrTest, ThreatWithSupervisorRequestAddsAProposalAfterIt) {
  v1::PluginRouteResponse r = Route(Call({v1::SUPERVISOR_REQUEST}, {v1::LEGAL_ACTION}));
  ASSERT_EQ(r.proposals_size(), 2);
  EXPECT_THAT(RuleIds(r.proposals(0).decision()),
              ElementsAre("tsr.supervisor_request.de_escalate"));
  EXPECT_THAT(RuleIds(r.proposals(1).decision()),
              ElementsAre("tsr.threat.notify_supervisor"));
}

// TSR-7
TEST_F(TsrTest, ExcludedTypesFollowTheirProtocolAndNothingElse) {
  struct Case {
    v1::Reason reason;
    v1::Decision::Destination destination;
    v1::Priority priority;
    const char* rule;
  };
  for (const Case& c : std::vector<Case>{
           {v1::MEDICAL_EMERGENCY, v1::Decision::MEDICAL_EMERGENCY_PROTOCOL,
            v1::SAFETY_PROTOCOL, "tsr.excluded.medical_emergency"},
           {v1::RISK_TO_PERSON, v1::Decision::RISK_PROTOCOL, v1::SAFETY_PROTOCOL,
            "tsr.excluded.risk_to_person"},
           {v1::MEDIA_INQUIRY, v1::Decision::MEDIA_POLICY, v1::OUTSIDE_PROCESS,
            "tsr.excluded.media"},
           {v1::ATTORNEY_CALL, v1::Decision::ATTORNEY_PROTOCOL, v1::OUTSIDE_PROCESS,
            "tsr.excluded.attorney"}}) {
    v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST, c.reason}, {v1::BBB_COMPLAINT}));
    EXPECT_EQ(p.decision().action(), v1::FOLLOW_PROTOCOL) << c.rule;
    EXPECT_EQ(p.decision().destination(), c.destination) << c.rule;
    EXPECT_EQ(p.priority(), c.priority) << c.rule;
    EXPECT_THAT(RuleIds(p.decision()), ElementsAre(c.rule));
    EXPECT_THAT(p.decision().summary(),
                ::testing::StartsWith("This process does not apply to the "
                                      "following escalation types: "));
  }
}

TEST_F(TsrTest, MedicalEmergencyAndMediaBothProposedSafetyRanksHigher) {
  v1::PluginRouteResponse r = Route(Call({v1::MEDIA_INQUIRY, v1::MEDICAL_EMERGENCY}));
  ASSERT_EQ(r.proposals_size(), 2);
  EXPECT_EQ(r.proposals(0).priority(), v1::SAFETY_PROTOCOL);
  EXPECT_EQ(r.proposals(1).priority(), v1::OUTSIDE_PROCESS);
  EXPECT_GT(v1::SAFETY_PROTOCOL, v1::OUTSIDE_PROCESS);
}

TEST_F(TsrTest, OrdinaryClaimIssueIsNotAProtocol) {
  v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST, v1::CLAIM_RELATED_ISSUE}));
  EXPECT_NE(p.decision().action(), v1::FOLLOW_PROTOCOL);
}

}  // namespace
}  // namespace escalation::telesales_retention
