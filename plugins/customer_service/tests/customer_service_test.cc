// Customer Service rules of "Transferring A Call To Retention" (CS-1 … CS-3),
// the manifest and configuration: a call where each rule fires, and a close
// call where it must not.
#include "tests/fixture.h"

namespace escalation::customer_service {
namespace {

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

// The route table declares every rule's outcome at load: the fixed texts a
// decision may carry are known before any call.
TEST_F(CustomerServiceTest, EveryRouteRuleDeclaresItsOutcomeAtLoad) {
  ASSERT_TRUE(plugin_.load_status().ok()) << plugin_.load_status();
  std::set<std::string> declared;
  bool disclosure = false;
  bool final_comments = false;
  for (const sdk::Plugin::DeclaredOutcome& o : plugin_.outcomes()) {
    declared.insert(o.rule->id);
    for (const sdk::OutcomeScript& s : o.outcome->scripts) {
      disclosure = disclosure || s.text == kRecordingDisclosure;
    }
    for (const sdk::OutcomeRecord& r : o.outcome->records) {
      final_comments = final_comments || (r.type != nullptr && r.type->id() == kFinalComments);
    }
  }
  for (const v1::RuleInfo& r : plugin_.manifest().rules()) {
    EXPECT_TRUE(declared.count(r.id())) << r.id();
  }
  EXPECT_TRUE(disclosure);
  EXPECT_TRUE(final_comments);
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

TEST_F(CustomerServiceTest, SiteNamesAreCaseInsensitiveErrorsNameTheSiteAsGiven) {
  v1::CallFacts call = Call({v1::CANCEL_CONTRACT});
  for (const char* site : {"Tampa", "TAMPA", "MaNiLa"}) {
    call.set_site(site);
    EXPECT_TRUE(Has(Route(call), "cs.retention.cancel")) << site;
  }
  call.set_site("NoWhere");
  v1::PluginRouteRequest request;
  *request.mutable_call() = call;
  *request.mutable_evaluation_time() = sdk::ToProto(kMondayMorning);
  v1::PluginRouteResponse response;
  absl::Status s = plugin_.Route(request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"NoWhere\""), std::string::npos) << s;

  // The configuration may spell a site in any case; twice is refused.
  google::protobuf::Struct config;
  auto* sites = (*config.mutable_fields())["sites"].mutable_list_value();
  sites->add_values()->set_string_value("Tampa");
  CustomerServicePlugin p;
  ASSERT_TRUE(p.Configure(config).ok());
  request.mutable_call()->set_site("tampa");
  EXPECT_TRUE(p.Route(request, &response).ok());
  sites->add_values()->set_string_value("TAMPA");
  s = p.Configure(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"TAMPA\""), std::string::npos) << s;
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

// Close case: the same supervisor request with a cancel. The cancel goes to
// Retention; the supervisor request does not (it stays with the Leadership
// Desk transfer, which carries the notes).
TEST_F(CustomerServiceTest, SupervisorRequestWithCancelOnlyTheCancelGoesToRetention) {
  v1::CallFacts call = Call({v1::SUPERVISOR_REQUEST, v1::CANCEL_CONTRACT});
  call.set_concerns_service_job(true);
  call.set_de_escalation_failed(true);
  // Known, so no "not known" note (cs.tier1.not_known) joins the two below.
  call.set_already_spoke_with_supervisor(false);
  call.set_supervisor_could_not_resolve(false);
  auto r = Route(call);
  EXPECT_TRUE(Has(r, "cs.resolve.supervisor_request_not_retention"));
  const D retention = To(r, D::RETENTION).decision();
  EXPECT_EQ(sdk::testing::RuleIds(retention),
            (std::vector<std::string>{"cs.retention.cancel",
                                      "cs.transfer.recording_disclosure"}));
  EXPECT_TRUE(retention.notes().empty());
  const D desk = To(r, D::LEADERSHIP_DESK).decision();
  const std::vector<std::string> rules = sdk::testing::RuleIds(desk);
  EXPECT_NE(std::find(rules.begin(), rules.end(),
                      "cs.leadership_desk.supervisor_request"),
            rules.end());
  EXPECT_NE(std::find(rules.begin(), rules.end(),
                      "cs.resolve.supervisor_request_not_retention"),
            rules.end());
  ASSERT_EQ(desk.notes_size(), 2);
  EXPECT_EQ(desk.notes(1),
            "Supervisor requests should NOT be transferred to Retention.");
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

TEST_F(CustomerServiceTest, AddOptionsNotesTheArticlesTimeFrameCondition) {
  const D d = To(Route(Call({v1::ADD_OPTIONS})), D::RETENTION).decision();
  ASSERT_EQ(d.notes_size(), 1);
  EXPECT_EQ(d.notes(0),
            "Customer wants to add options and additions within proper time "
            "frames.");
  EXPECT_TRUE(To(Route(Call({v1::CANCEL_CONTRACT})), D::RETENTION)
                  .decision().notes().empty());
}

}  // namespace
}  // namespace escalation::customer_service
