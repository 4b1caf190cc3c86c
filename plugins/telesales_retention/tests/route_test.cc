// Unit tests of the TS&R routing rules (TSR-1 … TSR-7): for each rule a case
// where it fires and a close case where it must not. Expected words are
// written out here, not taken from rules.h, so a change of wording fails.
#include <optional>

#include "rules.h"
#include "fixture.h"

namespace escalation::telesales_retention {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace testing_util;  // NOLINT

class TsrTest : public PluginTest {
 protected:
  v1::CallFacts Call(std::vector<v1::Reason> reasons,
                     std::vector<v1::Threat> threats = {}) {
    v1::CallFacts call;
    call.set_department(v1::TELESALES_RETENTION);
    for (v1::Reason r : reasons) call.add_reasons(r);
    for (v1::Threat t : threats) call.add_threats(t);
    return call;
  }
  // A supervisor request the agent could not de-escalate.
  v1::CallFacts NotDeEscalated() {
    v1::CallFacts call = Call({v1::SUPERVISOR_REQUEST});
    call.set_de_escalation_failed(true);
    return call;
  }
  v1::PluginRouteResponse Route(const v1::CallFacts& call,
                                absl::Time now = kNow) {
    auto response = sdk::testing::RouteAt(plugin_, call, now);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(v1::PluginRouteResponse());
  }
  // The single proposal a call must produce.
  v1::Proposal Only(const v1::CallFacts& call) {
    v1::PluginRouteResponse response = Route(call);
    EXPECT_EQ(response.proposals_size(), 1);
    return response.proposals_size() > 0 ? response.proposals(0)
                                         : v1::Proposal();
  }
};

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

// TSR-1
TEST_F(TsrTest, SupervisorRequestIsFirstDeEscalated) {
  v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST}));
  EXPECT_EQ(p.priority(), v1::RESOLVE_IN_DEPARTMENT);
  EXPECT_EQ(p.decision().action(), v1::RESOLVE_HERE);
  EXPECT_THAT(StepTexts(p.decision()),
              ElementsAre("Try to resolve the issue with the caller.",
                          "Contact a supervisor for guidance if needed."));
  EXPECT_THAT(RuleIds(p.decision()),
              ElementsAre("tsr.supervisor_request.de_escalate"));
}

TEST_F(TsrTest, FailedDeEscalationIsNotDeEscalatedAgain) {
  v1::Proposal p = Only(NotDeEscalated());
  EXPECT_THAT(RuleIds(p.decision()),
              Not(Contains("tsr.supervisor_request.de_escalate")));
}

// TSR-2
TEST_F(TsrTest, ClaimRelatedSupervisorRequestIsWarmTransferredToCs) {
  for (bool failed : {false, true}) {
    v1::CallFacts call = Call({v1::SUPERVISOR_REQUEST, v1::CLAIM_RELATED_ISSUE});
    call.set_de_escalation_failed(failed);
    v1::Proposal p = Only(call);
    const v1::Decision& d = p.decision();
    EXPECT_EQ(d.action(), v1::TRANSFER);
    EXPECT_EQ(d.destination(), v1::Decision::CUSTOMER_SERVICE);
    EXPECT_EQ(d.transfer_mode(), v1::WARM);
    EXPECT_EQ(p.priority(), v1::RETENTION_TRANSFER);
    EXPECT_THAT(StepTexts(d),
                ElementsAre("Warm transfer the caller to a Customer Service Agent.",
                            "Inform the Customer Service Agent of the request to "
                            "speak to a Supervisor.",
                            "Document the request in the Communication History Log."));
    ASSERT_EQ(d.required_records_size(), 1);
    EXPECT_EQ(d.required_records(0).kind(), v1::COMMUNICATION_HISTORY_ENTRY);
    EXPECT_THAT(RuleIds(d), ElementsAre("tsr.claim_related.warm_transfer_cs"));
  }
}

TEST_F(TsrTest, NotClaimRelatedIsNotTransferredToCs) {
  v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST}));
  EXPECT_NE(p.decision().action(), v1::TRANSFER);
  EXPECT_THAT(RuleIds(p.decision()),
              Not(Contains("tsr.claim_related.warm_transfer_cs")));
}

// TSR-3
TEST_F(TsrTest, AvailableSupervisorTakesOver) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(true);
  call.set_supervisor_could_not_resolve(false);  // Known: no "not known" note.
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SUPERVISOR_TAKEOVER);
  EXPECT_EQ(p.decision().destination(), v1::Decision::DIRECT_SUPERVISOR);
  EXPECT_EQ(p.priority(), v1::LEADERSHIP_DESK_TIER1);
  EXPECT_THAT(StepTexts(p.decision()),
              ElementsAre("A supervisor must take over the call when available."));
  EXPECT_THAT(p.decision().notes(), IsEmpty());
}

TEST_F(TsrTest, UnknownAvailabilityTakesOverWithTheFallbackNoted) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_could_not_resolve(false);  // Known: no "not known" note.
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SUPERVISOR_TAKEOVER);
  EXPECT_EQ(p.decision().destination(), v1::Decision::DIRECT_SUPERVISOR);
  ASSERT_EQ(p.decision().notes_size(), 1);
  EXPECT_THAT(p.decision().notes(0),
              ::testing::HasSubstr("turnaround time for a callback is 48 hours"));
}

TEST_F(TsrTest, NoSupervisorMeansNoTakeover) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(false);
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SCHEDULE_CALLBACK);
  EXPECT_THAT(RuleIds(p.decision()),
              Not(Contains("tsr.not_de_escalated.supervisor_takeover")));
}

// TSR-4
class NoSupervisorTest : public TsrTest {
 protected:
  v1::Decision Decide(std::optional<bool> bpo, absl::Time now = kNow) {
    v1::CallFacts call = NotDeEscalated();
    call.set_supervisor_available(false);
    if (bpo.has_value()) call.set_bpo_agent(*bpo);
    v1::PluginRouteResponse r = Route(call, now);
    EXPECT_EQ(r.proposals_size(), 1);
    return r.proposals(0).decision();
  }
};

TEST_F(NoSupervisorTest, InHouseAgentSubmitsQuickBaseRequest) {
  v1::Decision d = Decide(false);
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_EQ(d.destination(), v1::Decision::DIRECT_SUPERVISOR);
  ASSERT_EQ(d.required_records_size(), 1);
  EXPECT_EQ(d.required_records(0).system(), v1::QUICKBASE);
  EXPECT_EQ(d.required_records(0).kind(), v1::SUPERVISOR_CALLBACK_REQUEST);
  EXPECT_THAT(StepTexts(d),
              ElementsAre("Submit a Supervisor Call Back Follow-Up Request in QuickBase.",
                          "Tell the caller that the turnaround time for a callback "
                          "is 48 hours."));
  EXPECT_THAT(RuleIds(d), ElementsAre("tsr.no_supervisor.quickbase_request",
                                      "tsr.no_supervisor.turnaround_48h"));
  EXPECT_THAT(d.notes(), IsEmpty());
}

TEST_F(NoSupervisorTest, BpoAgentEmailsSupervisorsInstead) {
  v1::Decision d = Decide(true);
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_EQ(d.destination(), v1::Decision::DIRECT_SUPERVISOR);
  EXPECT_THAT(d.required_records(), IsEmpty());
  EXPECT_EQ(StepTexts(d).front(), "Email your supervisors.");
  EXPECT_THAT(RuleIds(d), ElementsAre("tsr.no_supervisor.bpo_email",
                                      "tsr.no_supervisor.turnaround_48h"));
}

TEST_F(NoSupervisorTest, UnknownBpoStatusGetsQuickBaseAndANote) {
  v1::Decision d = Decide(std::nullopt);
  ASSERT_EQ(d.required_records_size(), 1);
  ASSERT_EQ(d.notes_size(), 1);
  EXPECT_THAT(d.notes(0), ::testing::HasSubstr("BPO agents email"));
}

// The article gives a step ("Tell the caller that ..."), not a script.
TEST_F(NoSupervisorTest, TurnaroundIsAStepNotAScript) {
  for (std::optional<bool> bpo : {std::optional<bool>(false),
                                  std::optional<bool>(true),
                                  std::optional<bool>()}) {
    v1::Decision d = Decide(bpo);
    EXPECT_THAT(d.scripts(), IsEmpty());
    EXPECT_EQ(StepTexts(d).back(),
              "Tell the caller that the turnaround time for a callback is 48 "
              "hours.");
  }
}

TEST_F(NoSupervisorTest, CallbackIsDueExactly48HoursAfterEvaluation) {
  v1::Decision d = Decide(false);
  EXPECT_EQ(d.callback().summary(),
            "Supervisor Call Back: the turnaround time for a callback is 48 "
            "hours.");
  EXPECT_EQ(sdk::FromProto(d.callback().anchor()), kNow);
  EXPECT_EQ(sdk::FromProto(d.callback().first_contact_within()), absl::Hours(48));
  EXPECT_EQ(sdk::FromProto(d.callback().first_contact_due()),
            At("2026-11-25T15:00:00Z"));
  EXPECT_EQ(d.callback().rule_id(), "tsr.no_supervisor.turnaround_48h");
  // Elapsed hours across the end of daylight saving (1 November 2026).
  v1::Decision dst = Decide(false, At("2026-10-31T15:00:00Z"));
  EXPECT_EQ(sdk::FromProto(dst.callback().first_contact_due()),
            At("2026-11-02T15:00:00Z"));
}

// TSR-5
TEST_F(TsrTest, SupervisorWhoCannotResolveContactsManagement) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_could_not_resolve(true);
  v1::Proposal p = Only(call);
  EXPECT_EQ(p.decision().action(), v1::SUPERVISOR_TAKEOVER);
  EXPECT_EQ(p.decision().destination(), v1::Decision::TSR_MANAGEMENT);
  EXPECT_THAT(StepTexts(p.decision()),
              ElementsAre("Contact the TS&R Management Team for assistance "
                          "through phone, chat, or email."));
}

TEST_F(TsrTest, SupervisorWhoResolvedDoesNotContactManagement) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_could_not_resolve(false);
  call.set_supervisor_available(true);
  v1::Proposal p = Only(call);
  EXPECT_NE(p.decision().destination(), v1::Decision::TSR_MANAGEMENT);
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

namespace escalation::telesales_retention {
namespace {

using ::testing::HasSubstr;

// Issue 9: a fact the call does not give that would change the route is named.
TEST_F(TsrTest, UnknownDeEscalationOutcomeIsNamed) {
  v1::Proposal p = Only(Call({v1::SUPERVISOR_REQUEST}));
  EXPECT_EQ(p.decision().action(), v1::RESOLVE_HERE);
  EXPECT_THAT(p.decision().notes(),
              ElementsAre("not known: call.de_escalation_failed; if the issue "
                          "cannot be de-escalated, then a supervisor must take "
                          "over the call when available "
                          "(tsr.not_de_escalated.supervisor_takeover)."));
  v1::CallFacts tried = Call({v1::SUPERVISOR_REQUEST});
  tried.set_de_escalation_failed(false);
  EXPECT_THAT(Only(tried).decision().notes(), IsEmpty());
}

TEST_F(TsrTest, UnknownSupervisorOutcomeIsNamedOnTheTakeover) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(true);
  v1::Proposal p = Only(call);
  EXPECT_THAT(p.decision().notes(),
              ElementsAre(HasSubstr("not known: call.supervisor_could_not_resolve; "
                                    "if the supervisor cannot resolve the issue, "
                                    "then they must contact the TS&R Management "
                                    "Team")));
}

TEST_F(TsrTest, TheQuickBaseRecordCarriesItsType) {
  v1::CallFacts call = NotDeEscalated();
  call.set_supervisor_available(false);
  call.set_bpo_agent(false);
  const v1::Decision d = Only(call).decision();
  ASSERT_EQ(d.required_records_size(), 1);
  EXPECT_EQ(d.required_records(0).record_type(), kCallbackRequestType);
}

}  // namespace
}  // namespace escalation::telesales_retention
