// Every Customer Service rule: a call where it fires, and a close call where it
// must not.
#include <set>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "customer_service_plugin.h"
#include "escalation/sdk/time.h"
#include "gtest/gtest.h"
#include "rules.h"

namespace escalation::customer_service {
namespace {

using D = v1::Decision;

absl::Time Eastern(int y, int mo, int d, int h, int mi) {
  absl::TimeZone tz;
  absl::LoadTimeZone("America/New_York", &tz);
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), tz);
}
// A Monday, 10:00 Eastern: Tier 2 is open.
const absl::Time kMondayMorning = Eastern(2026, 11, 23, 10, 0);

class CustomerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    google::protobuf::Struct config;
    auto* sites = (*config.mutable_fields())["sites"].mutable_list_value();
    sites->add_values()->set_string_value("tampa");
    sites->add_values()->set_string_value("manila");
    ASSERT_TRUE(plugin_.Configure(config).ok());
  }

  v1::PluginRouteResponse Route(const v1::CallFacts& call,
                                absl::Time at = kMondayMorning) {
    v1::PluginRouteRequest request;
    *request.mutable_call() = call;
    *request.mutable_evaluation_time() = sdk::ToProto(at);
    v1::PluginRouteResponse response;
    absl::Status status = plugin_.Route(request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }

  static v1::CallFacts Call(std::initializer_list<v1::Reason> reasons) {
    v1::CallFacts call;
    call.set_department(v1::CUSTOMER_SERVICE);
    for (v1::Reason r : reasons) call.add_reasons(r);
    return call;
  }

  static std::set<std::string> Rules(const v1::PluginRouteResponse& r) {
    std::set<std::string> ids;
    for (const v1::Proposal& p : r.proposals()) {
      for (const v1::MatchedRule& m : p.decision().matched_rules()) {
        ids.insert(m.rule_id());
      }
    }
    return ids;
  }
  static bool Has(const v1::PluginRouteResponse& r, const std::string& id) {
    return Rules(r).count(id) > 0;
  }

  // The one proposal to `destination`; fails the test when there is none.
  static v1::Proposal To(const v1::PluginRouteResponse& r,
                         D::Destination destination) {
    for (const v1::Proposal& p : r.proposals()) {
      if (p.decision().destination() == destination) return p;
    }
    ADD_FAILURE() << "no proposal to " << D::Destination_Name(destination);
    return {};
  }
  static bool HasProposalTo(const v1::PluginRouteResponse& r,
                            D::Destination destination) {
    for (const v1::Proposal& p : r.proposals()) {
      if (p.decision().destination() == destination) return true;
    }
    return false;
  }
  static bool HasScript(const D& d, const std::string& id) {
    for (const v1::Script& s : d.scripts()) {
      if (s.id() == id) return true;
    }
    return false;
  }
  static bool HasRecord(const D& d, v1::TaskKind kind) {
    for (const v1::RequiredRecord& r : d.required_records()) {
      if (r.kind() == kind) return true;
    }
    return false;
  }

  CustomerServicePlugin plugin_;
};

// ---- Manifest ----

TEST_F(CustomerServiceTest, EveryRuleHasAUniqueIdATitleAndAnArticle) {
  std::set<std::string> ids;
  const std::set<std::string> articles = {kRetentionArticle, kEscalationsArticle,
                                          kLeadershipDeskArticle};
  for (const v1::RuleInfo& r : plugin_.manifest().rules()) {
    EXPECT_TRUE(ids.insert(r.id()).second) << r.id();
    EXPECT_EQ(r.id().rfind("cs.", 0), 0u) << r.id();
    EXPECT_FALSE(r.title().empty()) << r.id();
    EXPECT_TRUE(articles.count(r.source_article())) << r.id();
  }
  EXPECT_GE(ids.size(), 30u);
  ASSERT_EQ(plugin_.manifest().routes_for_size(), 1);
  EXPECT_EQ(plugin_.manifest().routes_for(0), v1::CUSTOMER_SERVICE);
}

// ---- Configuration and sites ----

TEST_F(CustomerServiceTest, MissingSitesIsRefusedNamingTheKey) {
  CustomerServicePlugin p;
  absl::Status s = p.Configure(google::protobuf::Struct());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"sites\""), std::string::npos) << s;
}

TEST_F(CustomerServiceTest, UnknownOrBadKeysAreRefused) {
  google::protobuf::Struct config;
  (*config.mutable_fields())["sites"].set_string_value("tampa");
  CustomerServicePlugin p;
  absl::Status s = p.Configure(config);
  EXPECT_NE(s.message().find("\"sites\""), std::string::npos) << s;
  (*config.mutable_fields())["sites"].mutable_list_value()->add_values()
      ->set_string_value("tampa");
  (*config.mutable_fields())["site"].set_string_value("typo");
  s = p.Configure(config);
  EXPECT_NE(s.message().find("\"site\""), std::string::npos) << s;
}

TEST_F(CustomerServiceTest, UnknownSiteIsAnErrorNamingIt) {
  v1::CallFacts call = Call({v1::CANCEL_CONTRACT});
  call.set_site("nowhere");
  v1::PluginRouteRequest request;
  *request.mutable_call() = call;
  *request.mutable_evaluation_time() = sdk::ToProto(kMondayMorning);
  v1::PluginRouteResponse response;
  absl::Status s = plugin_.Route(request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("nowhere"), std::string::npos) << s;
  call.set_site("manila");
  EXPECT_TRUE(Has(Route(call), "cs.retention.cancel"));
}

// ---- CS-2 resolve in CS ----

TEST_F(CustomerServiceTest, CoverageQuestionAndKitResolveHere) {
  auto r = Route(Call({v1::COVERAGE_QUESTION, v1::FULFILLMENT_KIT_REQUEST}));
  EXPECT_TRUE(Has(r, "cs.resolve.coverage_question"));
  EXPECT_TRUE(Has(r, "cs.resolve.fulfillment_kit"));
  ASSERT_EQ(r.proposals_size(), 1);
  const D& d = r.proposals(0).decision();
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(r.proposals(0).priority(), v1::RESOLVE_IN_DEPARTMENT);
  ASSERT_EQ(d.steps_size(), 3);
  EXPECT_EQ(d.steps(0).text(),
            "Utilize the help system to answer the customer’s questions.");
  EXPECT_FALSE(HasScript(d, "recording_disclosure"));
  auto none = Route(Call({v1::ADD_OPTIONS}));
  EXPECT_FALSE(Has(none, "cs.resolve.coverage_question"));
  EXPECT_FALSE(Has(none, "cs.resolve.fulfillment_kit"));
}

TEST_F(CustomerServiceTest, ZipCodeResolvesHerePropertyAddressGoesToRetention) {
  auto zip = Route(Call({v1::UPDATE_ZIP_CODE}));
  EXPECT_TRUE(Has(zip, "cs.resolve.update_zip"));
  EXPECT_FALSE(Has(zip, "cs.retention.property_address"));
  EXPECT_FALSE(HasProposalTo(zip, D::RETENTION));

  auto address = Route(Call({v1::UPDATE_PROPERTY_ADDRESS}));
  EXPECT_TRUE(Has(address, "cs.retention.property_address"));
  EXPECT_FALSE(Has(address, "cs.resolve.update_zip"));
  EXPECT_EQ(To(address, D::RETENTION).decision().action(), v1::TRANSFER);
}

TEST_F(CustomerServiceTest, EmailAndPhoneUpdatesResolveHere) {
  EXPECT_TRUE(Has(Route(Call({v1::UPDATE_EMAIL})), "cs.resolve.update_email"));
  EXPECT_FALSE(Has(Route(Call({v1::UPDATE_EMAIL})), "cs.resolve.update_phone"));
  EXPECT_TRUE(Has(Route(Call({v1::UPDATE_PHONE})), "cs.resolve.update_phone"));
}

TEST_F(CustomerServiceTest, DunningWithTimxActiveResolvesRedFlagGoesToRetention) {
  v1::CallFacts call = Call({});
  call.set_servicebench_contract_status(v1::DUNNING_PENDING_CANCEL);
  call.set_timx_contract_status(v1::ACTIVE);
  auto active = Route(call);
  EXPECT_TRUE(Has(active, "cs.resolve.dunning_timx_active"));
  EXPECT_FALSE(HasProposalTo(active, D::RETENTION));

  call.set_timx_contract_status(v1::RED_FLAG);
  auto red = Route(call);
  EXPECT_TRUE(Has(red, "cs.retention.dunning_red_flag"));
  EXPECT_FALSE(Has(red, "cs.resolve.dunning_timx_active"));
  EXPECT_TRUE(HasScript(To(red, D::RETENTION).decision(), "recording_disclosure"));

  call.clear_timx_contract_status();
  auto unknown = Route(call);
  EXPECT_TRUE(Has(unknown, "cs.resolve.dunning_verify_timx"));
  EXPECT_FALSE(HasProposalTo(unknown, D::RETENTION));

  call.set_servicebench_contract_status(v1::ACTIVE);
  call.set_timx_contract_status(v1::RED_FLAG);
  EXPECT_TRUE(Rules(Route(call)).empty());  // Not Dunning in ServiceBench.
}

TEST_F(CustomerServiceTest, ServiceJobRefundGoesToDirectSupervisorNotRetention) {
  auto r = Route(Call({v1::SERVICE_JOB_REFUND_REQUEST}));
  EXPECT_TRUE(Has(r, "cs.resolve.service_job_refund"));
  EXPECT_EQ(To(r, D::DIRECT_SUPERVISOR).decision().action(), v1::RESOLVE_HERE);
  EXPECT_FALSE(HasProposalTo(r, D::RETENTION));
  EXPECT_FALSE(Has(Route(Call({v1::BILLING_INQUIRY})),
                   "cs.resolve.service_job_refund"));
}

TEST_F(CustomerServiceTest, SupervisorRequestAboutServiceJobIsNeverRetention) {
  v1::CallFacts call = Call({v1::SUPERVISOR_REQUEST});
  call.set_concerns_service_job(true);
  call.set_de_escalation_failed(true);
  auto r = Route(call);
  EXPECT_TRUE(Has(r, "cs.resolve.supervisor_request_not_retention"));
  EXPECT_FALSE(HasProposalTo(r, D::RETENTION));
  call.set_concerns_service_job(false);
  EXPECT_FALSE(Has(Route(call), "cs.resolve.supervisor_request_not_retention"));
}

// ---- CS-3 and CS-1 transfers to Retention ----

TEST_F(CustomerServiceTest, EachRetentionScenarioTransfersWithTheDisclosure) {
  const std::vector<std::pair<v1::Reason, std::string>> cases = {
      {v1::CANCEL_CONTRACT, "cs.retention.cancel"},
      {v1::REINSTATE_CONTRACT, "cs.retention.reinstate"},
      {v1::PREMIUM_PAYMENT, "cs.retention.premium_or_billing"},
      {v1::BILLING_INQUIRY, "cs.retention.premium_or_billing"},
      {v1::ENROLL_NEW_COVERAGE, "cs.retention.new_coverage"},
      {v1::ADD_OPTIONS, "cs.retention.add_options"},
      {v1::ADD_AUTHORIZED_USER, "cs.retention.authorized_user"},
  };
  for (const auto& [reason, id] : cases) {
    auto r = Route(Call({reason}));
    EXPECT_TRUE(Has(r, id)) << id;
    ASSERT_EQ(r.proposals_size(), 1) << id;
    EXPECT_EQ(r.proposals(0).priority(), v1::RETENTION_TRANSFER) << id;
    const D& d = r.proposals(0).decision();
    EXPECT_EQ(d.action(), v1::TRANSFER);
    ASSERT_EQ(d.scripts_size(), 1);
    EXPECT_EQ(d.scripts(0).text(),
              "This call may be recorded for quality assurance and training "
              "purposes.");
    EXPECT_TRUE(Has(r, "cs.transfer.recording_disclosure"));
  }
  EXPECT_FALSE(Has(Route(Call({v1::UPDATE_EMAIL})), "cs.transfer.recording_disclosure"));
}

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
    EXPECT_FALSE(HasScript(p.decision(), "recording_disclosure")) << id;

    call.set_de_escalation_failed(false);
    auto kept = Route(call);
    EXPECT_FALSE(Has(kept, id)) << id;
    EXPECT_TRUE(Has(kept, "cs.leadership_desk.deescalate_first")) << id;
    EXPECT_FALSE(HasProposalTo(kept, D::LEADERSHIP_DESK));
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
  EXPECT_TRUE(Route(cancel_warranty).proposals().empty());
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

// ---- Several reasons at once (DESIGN §4 priority) ----

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
