// Customer Service escalation rules (CS-4 … CS-9): a call where each rule
// fires, and a close call where it must not.
#include "tests/fixture.h"

namespace escalation::customer_service {
namespace {

constexpr char kReachOut[] =
    "Always reach out to your direct supervisor or any available supervisor "
    "for Tier 1 assistance.";

// ---- CS-4 Leadership Desk ----

TEST_F(CustomerServiceTest, Tier1SituationsGoToLeadershipDeskOnlyWhenNotDeEscalated) {
  const std::vector<std::pair<v1::Reason, std::string>> cases = {
      {v1::SUPERVISOR_REQUEST, "cs.leadership_desk.supervisor_request"},
      {v1::CINCH_SERVICE_DELAY, "cs.leadership_desk.cinch_service_delay"},
      {v1::SERVICE_PROVIDER_DELAY, "cs.leadership_desk.service_provider_delay"},
      {v1::CLAIM_CREDIT_DISPUTE, "cs.leadership_desk.claim_credit_dispute"},
      {v1::REPLACEMENT_DISPUTE, "cs.leadership_desk.replacement_dispute"},
      {v1::COVERAGE_DENIAL, "cs.leadership_desk.coverage_denial"},
      {v1::UNAUTHORIZED_WORK, "cs.leadership_desk.unauthorized_work"},
  };
  for (const auto& [reason, id] : cases) {
    v1::CallFacts call = Call({reason});
    call.set_de_escalation_failed(true);
    auto r = Route(call);
    EXPECT_TRUE(Has(r, id)) << id;
    v1::Proposal p = To(r, D::LEADERSHIP_DESK);
    EXPECT_EQ(p.priority(), v1::LEADERSHIP_DESK_TIER1);
    EXPECT_EQ(p.decision().action(), v1::TRANSFER);
    EXPECT_EQ(p.decision().transfer_mode(), v1::LIVE);
    // CS-1: the Leadership Desk live transfer carries the disclosure.
    ASSERT_EQ(p.decision().scripts_size(), 1) << id;
    EXPECT_EQ(p.decision().scripts(0).text(), kRecordingDisclosure) << id;
    EXPECT_TRUE(Has(r, "cs.transfer.recording_disclosure")) << id;
    ASSERT_EQ(p.decision().steps_size(), 1) << id;
    EXPECT_EQ(p.decision().steps(0).text(), kReachOut) << id;

    call.set_de_escalation_failed(false);
    auto kept = Route(call);
    EXPECT_FALSE(Has(kept, id)) << id;
    EXPECT_TRUE(Has(kept, "cs.leadership_desk.deescalate_first")) << id;
    EXPECT_FALSE(HasProposalTo(kept, D::LEADERSHIP_DESK));
    const D de_escalate = To(kept, D::CUSTOMER_SERVICE).decision();
    EXPECT_EQ(de_escalate.steps(0).text(), kReachOut) << id;
    EXPECT_FALSE(HasScript(de_escalate, "recording_disclosure")) << id;
  }
}

TEST_F(CustomerServiceTest, SupervisorRequestAfterSupervisorIsTier2NotTier1) {
  v1::CallFacts call = Call({v1::SUPERVISOR_REQUEST});
  call.set_de_escalation_failed(true);
  call.set_already_spoke_with_supervisor(true);
  auto r = Route(call);
  EXPECT_TRUE(Has(r, "cs.tier2.above_tier1"));
  EXPECT_FALSE(Has(r, "cs.leadership_desk.supervisor_request"));
  call.set_already_spoke_with_supervisor(false);
  r = Route(call);
  EXPECT_FALSE(Has(r, "cs.tier2.above_tier1"));
  EXPECT_TRUE(Has(r, "cs.leadership_desk.supervisor_request"));
}

// ---- CS-5 Tier 2, CS-6 hours, CS-7 Call Back exception, CS-8 notation ----

TEST_F(CustomerServiceTest, EachTier2SituationNeedsPermissionAndIsNotated) {
  std::vector<std::pair<v1::CallFacts, std::string>> cases;
  cases.push_back({Call({v1::EXECUTIVE_REQUEST}), "cs.tier2.executive_request"});
  cases.push_back({Call({v1::PROPERTY_DAMAGE_NO_PROVIDER_RESPONSE}),
                   "cs.tier2.property_damage"});
  cases.push_back({Call({v1::SOS_HIGH_RISK}), "cs.tier2.sos_high_risk"});
  for (v1::Threat t : {v1::LEGAL_ACTION, v1::NEWS_MEDIA}) {
    v1::CallFacts c = Call({});
    c.add_threats(t);
    cases.push_back({c, "cs.tier2.legal_or_media_threat"});
  }
  for (v1::Threat t : {v1::BBB_COMPLAINT, v1::SOCIAL_MEDIA, v1::ONLINE_REVIEW}) {
    v1::CallFacts c = Call({});
    c.add_threats(t);
    cases.push_back({c, "cs.tier2.review_threat"});
  }
  for (const auto& [call, id] : cases) {
    auto r = Route(call);
    EXPECT_TRUE(Has(r, id)) << id;
    v1::Proposal p = To(r, D::TIER2);
    EXPECT_EQ(p.priority(), v1::TIER2_SITUATION) << id;
    EXPECT_EQ(p.decision().action(), v1::TRANSFER) << id;
    EXPECT_TRUE(p.decision().requires_supervisor_approval()) << id;
    EXPECT_TRUE(p.decision().destination_hours().open_now()) << id;
    EXPECT_TRUE(HasRecord(p.decision(), v1::SERVICE_REQUEST_COMMENT)) << id;
    EXPECT_TRUE(HasScript(p.decision(), "recording_disclosure")) << id;
    EXPECT_TRUE(Has(r, "cs.tier2.supervisor_permission")) << id;
    EXPECT_TRUE(Has(r, "cs.supervisor_permission.notate")) << id;
  }
  v1::CallFacts cancel_warranty = Call({});
  cancel_warranty.add_threats(v1::CANCEL_WARRANTY);
  // Not a Tier 2 situation: no CS rule covers it, so it is only named.
  auto cw = Route(cancel_warranty);
  EXPECT_FALSE(HasProposalTo(cw, D::TIER2));
  EXPECT_EQ(Rules(cw), std::set<std::string>{"cs.uncovered.reason_or_threat"});
  EXPECT_FALSE(Has(Route(Call({v1::CANCEL_CONTRACT})),
                   "cs.supervisor_permission.notate"));
}

TEST_F(CustomerServiceTest, Tier2ClosesSaturday1630EasternThenCallBackException) {
  v1::CallFacts call = Call({v1::EXECUTIVE_REQUEST});
  // 2026-11-21 is a Saturday.
  v1::Proposal open = To(Route(call, Eastern(2026, 11, 21, 16, 29)), D::TIER2);
  EXPECT_TRUE(open.decision().destination_hours().open_now());
  EXPECT_EQ(open.decision().action(), v1::TRANSFER);
  EXPECT_FALSE(HasRecord(open.decision(), v1::CALL_BACK_EXCEPTION));

  auto r = Route(call, Eastern(2026, 11, 21, 16, 30));
  v1::Proposal closed = To(r, D::TIER2);
  const v1::DestinationHours& h = closed.decision().destination_hours();
  EXPECT_FALSE(h.open_now());
  EXPECT_EQ(h.time_zone(), "America/New_York");
  EXPECT_EQ(sdk::FromProto(h.next_opening()), Eastern(2026, 11, 23, 8, 0));
  EXPECT_EQ(closed.decision().action(), v1::SCHEDULE_CALLBACK);
  EXPECT_TRUE(closed.decision().requires_supervisor_approval());
  EXPECT_TRUE(HasRecord(closed.decision(), v1::CALL_BACK_EXCEPTION));
  EXPECT_TRUE(HasRecord(closed.decision(), v1::SERVICE_REQUEST_COMMENT));
  EXPECT_FALSE(HasScript(closed.decision(), "recording_disclosure"));
  EXPECT_TRUE(Has(r, "cs.callback_exception.tier2_closed"));
  EXPECT_FALSE(Has(r, "cs.tier2.supervisor_permission"));
}

TEST_F(CustomerServiceTest, Tier2SundayClosedAndMondayAfterEachDstChange) {
  v1::CallFacts call = Call({v1::SOS_HIGH_RISK});
  auto sunday = To(Route(call, Eastern(2026, 11, 22, 12, 0)), D::TIER2);
  EXPECT_FALSE(sunday.decision().destination_hours().open_now());
  // Monday after spring forward (2026-03-08): 08:00 EDT is 12:00 UTC.
  const absl::Time spring = absl::FromCivil(absl::CivilMinute(2026, 3, 9, 12, 0),
                                            absl::UTCTimeZone());
  EXPECT_TRUE(To(Route(call, spring), D::TIER2).decision().destination_hours().open_now());
  EXPECT_FALSE(To(Route(call, spring - absl::Minutes(1)), D::TIER2)
                   .decision().destination_hours().open_now());
  // Monday after fall back (2026-11-01): 08:00 EST is 13:00 UTC.
  const absl::Time fall = absl::FromCivil(absl::CivilMinute(2026, 11, 2, 13, 0),
                                          absl::UTCTimeZone());
  EXPECT_TRUE(To(Route(call, fall), D::TIER2).decision().destination_hours().open_now());
  auto early = To(Route(call, fall - absl::Minutes(30)), D::TIER2);
  EXPECT_FALSE(early.decision().destination_hours().open_now());
  EXPECT_EQ(sdk::FromProto(early.decision().destination_hours().next_opening()), fall);
}

TEST_F(CustomerServiceTest, SupervisorsUnableGivesCallBackExceptionNotLeadershipDesk) {
  v1::CallFacts call = Call({v1::CINCH_SERVICE_DELAY});
  call.set_de_escalation_failed(true);
  call.set_supervisor_could_not_resolve(true);
  auto r = Route(call);
  EXPECT_TRUE(Has(r, "cs.callback_exception.supervisors_unable"));
  EXPECT_FALSE(HasProposalTo(r, D::LEADERSHIP_DESK));
  ASSERT_EQ(r.proposals_size(), 1);
  const D& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_TRUE(d.requires_supervisor_approval());
  EXPECT_TRUE(HasRecord(d, v1::CALL_BACK_EXCEPTION));
  EXPECT_TRUE(HasRecord(d, v1::SERVICE_REQUEST_COMMENT));
  call.set_supervisor_could_not_resolve(false);
  EXPECT_FALSE(Has(Route(call), "cs.callback_exception.supervisors_unable"));
}

// ---- CS-5 call.supervisor_approved: unset, true, false ----

constexpr char kGetPermission[] =
    "Reach out to a Supervisor to advise of the issue and receive permission "
    "to contact Tier 2.";
constexpr char kNotate[] =
    "You must notate this information in your final comments in the Service "
    "Request.";
constexpr char kNotApproved[] =
    "The supervisor did not give permission to contact Tier 2: do not "
    "transfer the call to Tier 2.";

bool HasStep(const D& d, const std::string& text) {
  for (const v1::Step& s : d.steps()) {
    if (s.text() == text) return true;
  }
  return false;
}
bool HasNote(const D& d, const std::string& text) {
  for (const std::string& n : d.notes()) {
    if (n == text) return true;
  }
  return false;
}
v1::CallFacts LegalThreat() {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  call.add_threats(v1::LEGAL_ACTION);
  return call;
}

TEST_F(CustomerServiceTest, Tier2ApprovalUnknownAsksForPermission) {
  v1::CallFacts call = LegalThreat();
  ASSERT_FALSE(call.has_supervisor_approved());
  auto r = Route(call);
  const D d = To(r, D::TIER2).decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_TRUE(d.requires_supervisor_approval());
  EXPECT_TRUE(HasStep(d, kGetPermission));
  EXPECT_TRUE(HasStep(d, kNotate));
  EXPECT_TRUE(HasRecord(d, v1::SERVICE_REQUEST_COMMENT));
  EXPECT_FALSE(Has(r, "cs.tier2.not_approved"));
}

TEST_F(CustomerServiceTest, Tier2ApprovedNeedsNoPermissionStepButIsNotated) {
  v1::CallFacts call = LegalThreat();
  call.set_supervisor_approved(true);
  auto r = Route(call);
  ASSERT_EQ(r.proposals_size(), 1);
  const D d = To(r, D::TIER2).decision();
  EXPECT_EQ(d.action(), v1::TRANSFER);
  // The route needs the permission whatever the facts say; they say given.
  EXPECT_TRUE(d.requires_supervisor_approval());
  ASSERT_EQ(d.supervisor_permissions_size(), 1);
  EXPECT_EQ(d.supervisor_permissions(0).permission(), v1::PERMISSION_TIER2_CONTACT);
  EXPECT_TRUE(d.supervisor_permissions(0).given());
  EXPECT_EQ(d.supervisor_permissions(0).rule_id(), "cs.tier2.supervisor_permission");
  EXPECT_FALSE(HasStep(d, kGetPermission));
  EXPECT_TRUE(HasNote(d, "A supervisor gave permission to contact Tier 2."));
  // CS-8: the permission was given, so it is notated.
  EXPECT_TRUE(HasStep(d, kNotate));
  EXPECT_TRUE(HasRecord(d, v1::SERVICE_REQUEST_COMMENT));
  EXPECT_TRUE(HasScript(d, "recording_disclosure"));
  EXPECT_TRUE(Has(r, "cs.tier2.supervisor_permission"));
  EXPECT_TRUE(Has(r, "cs.supervisor_permission.notate"));
  EXPECT_FALSE(Has(r, "cs.tier2.not_approved"));
}

// The permission given was to contact Tier 2; when Tier 2 is closed the Call
// Back exception still needs the supervisors' permission (CS-7).
TEST_F(CustomerServiceTest, Tier2ApprovedButClosedCallBackStillNeedsPermission) {
  v1::CallFacts call = LegalThreat();
  call.set_supervisor_approved(true);
  const D d = To(Route(call, Eastern(2026, 11, 22, 12, 0)), D::TIER2).decision();
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_TRUE(d.requires_supervisor_approval());
  EXPECT_TRUE(HasRecord(d, v1::CALL_BACK_EXCEPTION));
}

TEST_F(CustomerServiceTest, Tier2NotApprovedAloneKeepsTheCallWithANote) {
  v1::CallFacts call = LegalThreat();
  call.set_supervisor_approved(false);
  auto r = Route(call);
  EXPECT_FALSE(HasProposalTo(r, D::TIER2));
  ASSERT_EQ(r.proposals_size(), 1);
  const v1::Proposal& p = r.proposals(0);
  EXPECT_EQ(p.priority(), v1::RESOLVE_IN_DEPARTMENT);
  EXPECT_EQ(p.decision().action(), v1::RESOLVE_HERE);
  EXPECT_EQ(p.decision().destination(), D::CUSTOMER_SERVICE);
  EXPECT_NE(p.decision().summary().find("did not give permission to contact "
                                        "Tier 2"),
            std::string::npos);
  EXPECT_TRUE(HasNote(p.decision(), kNotApproved));
  EXPECT_FALSE(p.decision().requires_supervisor_approval());
  // The situation that was recognised stays cited; nothing is transferred.
  EXPECT_TRUE(Has(r, "cs.tier2.legal_or_media_threat"));
  EXPECT_TRUE(Has(r, "cs.tier2.not_approved"));
  EXPECT_FALSE(Has(r, "cs.tier2.supervisor_permission"));
  EXPECT_FALSE(Has(r, "cs.tier2.hours"));
  EXPECT_FALSE(Has(r, "cs.transfer.recording_disclosure"));
  EXPECT_FALSE(Has(r, "cs.supervisor_permission.notate"));
  // Closed or open, no Tier 2 Call Back exception is offered for it.
  auto sunday = Route(call, Eastern(2026, 11, 22, 12, 0));
  EXPECT_FALSE(HasProposalTo(sunday, D::TIER2));
  EXPECT_FALSE(Has(sunday, "cs.callback_exception.tier2_closed"));
  EXPECT_FALSE(Has(sunday, "cs.callback_exception.servicebench_fields"));
}

TEST_F(CustomerServiceTest, Tier2NotApprovedSupervisorsUnableGivesTheCallBack) {
  v1::CallFacts call = LegalThreat();
  call.set_supervisor_approved(false);
  call.set_supervisor_could_not_resolve(true);
  auto r = Route(call);
  EXPECT_FALSE(HasProposalTo(r, D::TIER2));
  ASSERT_EQ(r.proposals_size(), 1);
  const D& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_TRUE(d.requires_supervisor_approval());
  EXPECT_TRUE(HasRecord(d, v1::CALL_BACK_EXCEPTION));
  EXPECT_TRUE(HasRecord(d, v1::SERVICE_REQUEST_COMMENT));
  EXPECT_TRUE(HasNote(d, kNotApproved));
  EXPECT_TRUE(Has(r, "cs.callback_exception.supervisors_unable"));
  EXPECT_TRUE(Has(r, "cs.tier2.legal_or_media_threat"));
}

TEST_F(CustomerServiceTest, Tier2NotApprovedLeavesTheLeadershipDeskPath) {
  v1::CallFacts call = LegalThreat();
  call.add_reasons(v1::CINCH_SERVICE_DELAY);
  call.set_de_escalation_failed(true);
  call.set_supervisor_approved(false);
  auto r = Route(call);
  EXPECT_FALSE(HasProposalTo(r, D::TIER2));
  ASSERT_EQ(r.proposals_size(), 1);
  const v1::Proposal p = To(r, D::LEADERSHIP_DESK);
  EXPECT_EQ(p.decision().action(), v1::TRANSFER);
  EXPECT_TRUE(HasNote(p.decision(), kNotApproved));
  EXPECT_TRUE(HasScript(p.decision(), "recording_disclosure"));
}

// ---- CS-9 refusal scripts ----

TEST_F(CustomerServiceTest, RefusalScriptsCarryTheCustomerName) {
  v1::CallFacts call = Call({});
  call.set_customer_refuses_information(true);
  call.set_customer_name("Ms. Rivera");
  auto r = Route(call);
  ASSERT_EQ(r.proposals_size(), 1);
  const D& d = r.proposals(0).decision();
  ASSERT_EQ(d.scripts_size(), 2);
  EXPECT_EQ(d.scripts(0).text(),
            "Ms. Rivera I understand your concern and would like to get some "
            "information and understand your situation before I contact a "
            "supervisor.");
  EXPECT_EQ(d.scripts(1).text(),
            "Ms. Rivera IF you allow me the opportunity to access your service "
            "job, THEN I can review the status AND see if I can answer "
            "questions OR advise my supervisor of the situation.");
  call.clear_customer_name();
  EXPECT_EQ(Route(call).proposals(0).decision().scripts(0).text().rfind(
                "[customer name] I understand", 0),
            0u);
  call.set_customer_refuses_information(false);
  EXPECT_FALSE(Has(Route(call), "cs.refusal.scripts"));
}

// ---- Several reasons at once (priority: docs/architecture.md, The merge) ----

TEST_F(CustomerServiceTest, SeveralReasonsProposeEachWithItsPriority) {
  v1::CallFacts call = Call({v1::CANCEL_CONTRACT, v1::UPDATE_ZIP_CODE,
                             v1::CLAIM_CREDIT_DISPUTE});
  call.set_de_escalation_failed(true);
  call.add_threats(v1::LEGAL_ACTION);
  auto r = Route(call);
  EXPECT_EQ(To(r, D::TIER2).priority(), v1::TIER2_SITUATION);
  EXPECT_EQ(To(r, D::LEADERSHIP_DESK).priority(), v1::LEADERSHIP_DESK_TIER1);
  EXPECT_EQ(To(r, D::RETENTION).priority(), v1::RETENTION_TRANSFER);
  EXPECT_EQ(To(r, D::CUSTOMER_SERVICE).priority(), v1::RESOLVE_IN_DEPARTMENT);
  EXPECT_EQ(r.proposals_size(), 4);
}

// ---- CS-8 validation of the Service Request's final comments ----

TEST_F(CustomerServiceTest, FinalCommentsMustNotateSupervisorPermission) {
  auto validate = [&](const std::string& text) {
    v1::PluginValidateRequest request;
    request.mutable_task()->set_kind(v1::SERVICE_REQUEST_COMMENT);
    request.mutable_task()->set_text(text);
    v1::PluginValidateResponse response;
    EXPECT_TRUE(plugin_.Validate(request, &response).ok());
    EXPECT_EQ(response.checked_rules(0).rule_id(), "cs.supervisor_permission.notate");
    return response;
  };
  auto empty = validate("  ");
  ASSERT_EQ(empty.violations_size(), 1);
  EXPECT_EQ(empty.violations(0).severity(), v1::ERROR);
  EXPECT_EQ(empty.violations(0).field(), "text");
  auto vague = validate("Customer upset about delay.");
  ASSERT_EQ(vague.violations_size(), 1);
  EXPECT_EQ(vague.violations(0).severity(), v1::WARNING);
  EXPECT_EQ(validate("Supervisor J. Diaz gave permission to contact Tier 2.")
                .violations_size(),
            0);
}

}  // namespace
}  // namespace escalation::customer_service
