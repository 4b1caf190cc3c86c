// Leadership Desk admission (LD-1 … LD-6) and configuration: a call where
// each rule fires, and a close one where it must not.
#include <initializer_list>
#include <vector>

#include "gmock/gmock.h"
#include "tests/fixture.h"

namespace escalation::leadership_desk {
namespace {

using ::testing::ElementsAre;

// ---- Manifest and configuration ----

TEST_F(LeadershipDeskTest, ManifestDeclaresEveryRuleOnce) {
  std::set<std::string> ids;
  for (const auto& r : plugin_.manifest().rules()) {
    EXPECT_TRUE(ids.insert(r.id()).second) << r.id();
    EXPECT_EQ(r.id().rfind("ld.", 0), 0u);
    EXPECT_EQ(r.source_article(), "Leadership Desk");
    EXPECT_FALSE(r.title().empty());
  }
  EXPECT_EQ(ids.size(), 11u);
  ASSERT_EQ(plugin_.manifest().admits_for_size(), 1);
  EXPECT_EQ(plugin_.manifest().admits_for(0), D::LEADERSHIP_DESK);
}

TEST_F(LeadershipDeskTest, BadConfigurationIsRefusedNamingTheKey) {
  auto refused = [](Struct c, const std::string& key) {
    LeadershipDeskPlugin p;
    absl::Status s = p.Configure(c);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << key;
    EXPECT_NE(s.message().find(key), std::string::npos) << s;
  };
  Struct c = GoodConfig();
  c.mutable_fields()->erase("approved_exception_comments");
  refused(c, "\"approved_exception_comments\"");
  c = GoodConfig();
  c.mutable_fields()->erase("sites");
  refused(c, "\"sites\"");
  c = GoodConfig();
  (*c.mutable_fields())["booking_links"].set_string_value("typo");
  refused(c, "\"booking_links\"");
  c = GoodConfig();
  auto* tampa = (*(*c.mutable_fields())["sites"].mutable_struct_value()
                      ->mutable_fields())["tampa"].mutable_struct_value();
  tampa->mutable_fields()->erase("booking_link");
  refused(c, "sites.tampa: configuration key \"booking_link\"");
  (*tampa->mutable_fields())["booking_link"].set_string_value("x");
  (*tampa->mutable_fields())["leadership_desk_skill"].set_number_value(3);
  refused(c, "\"leadership_desk_skill\"");
}

TEST_F(LeadershipDeskTest, ConfigurationMayCarryAComment) {
  Struct c = GoodConfig();
  (*c.mutable_fields())["_comment"].set_string_value("Examples: replace them.");
  LeadershipDeskPlugin p;
  absl::Status s = p.Configure(c);
  EXPECT_TRUE(s.ok()) << s;
}

TEST_F(LeadershipDeskTest, UnconfiguredSiteIsAnErrorNamingFieldAndSites) {
  auto r = Admit(Call("nowhere"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("\"nowhere\""), std::string::npos);
  EXPECT_NE(r.status().message().find("call.site"), std::string::npos);
  EXPECT_NE(r.status().message().find("manila, tampa"), std::string::npos)
      << r.status();
  EXPECT_TRUE(Admit(Call("manila")).ok());
}

TEST_F(LeadershipDeskTest, SiteNamesAreCaseInsensitiveErrorsNameTheSiteAsGiven) {
  for (const char* site : {"Tampa", "TAMPA", "tAmPa"}) {
    auto r = Admit(Call(site));
    ASSERT_TRUE(r.ok()) << site << ": " << r.status();
    EXPECT_EQ(r->decision().steps(2).text(),
              "Search for your site specific Leadership Desk skill: LD_Tampa.")
        << site;
  }
  auto r = Admit(Call("NoWhere"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("\"NoWhere\""), std::string::npos)
      << r.status();

  // The configuration may spell a site in any case; twice is refused.
  Struct c = GoodConfig();
  auto* sites = (*c.mutable_fields())["sites"].mutable_struct_value();
  sites->mutable_fields()->erase("tampa");
  *(*sites->mutable_fields())["Tampa"].mutable_struct_value() =
      Site("LD_Tampa", "https://book.example/tampa");
  LeadershipDeskPlugin p;
  ASSERT_TRUE(p.Configure(c).ok());
  *(*sites->mutable_fields())["TAMPA"].mutable_struct_value() =
      Site("LD_Tampa", "https://book.example/tampa");
  absl::Status s = p.Configure(c);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("case-insensitive"), std::string::npos) << s;
}

TEST_F(LeadershipDeskTest, OnlyTransfersToTheDeskAreAmended) {
  v1::PluginAdmitRequest request;
  *request.mutable_call() = Call("tampa");
  *request.mutable_evaluation_time() = sdk::ToProto(kNow);
  *request.mutable_proposal() = Proposal(v1::SCHEDULE_CALLBACK);
  v1::PluginAdmitResponse response;
  ASSERT_TRUE(plugin_.Admit(request, &response).ok());
  EXPECT_EQ(response.ByteSizeLong(), 0u);
}

// The desk reads only the proposal's head and answers with what it changes
// (plugin ABI 1.2): the call back path takes out Customer Service's
// disclosure by its declared output edit and resets the transfer mode.
TEST_F(LeadershipDeskTest, TheDeskAnswersWithAnEditOfTheProposalsHead) {
  EXPECT_EQ(plugin_.manifest().admit_request_form(), v1::ADMIT_REQUEST_FORM_PROPOSAL_HEAD);
  v1::PluginAdmitRequest request;
  *request.mutable_call() = Call("tampa", 200);
  *request.mutable_evaluation_time() = sdk::ToProto(kNow);
  request.mutable_proposal()->set_priority(v1::LEADERSHIP_DESK_TIER1);
  request.mutable_proposal()->mutable_decision()->set_action(v1::TRANSFER);
  request.mutable_proposal()->mutable_decision()->set_destination(D::LEADERSHIP_DESK);
  v1::PluginAdmitResponse response;
  ASSERT_TRUE(plugin_.Admit(request, &response).ok());
  EXPECT_FALSE(response.has_amended());
  ASSERT_TRUE(response.has_edit());
  EXPECT_THAT(response.edit().output_edits_by(), ElementsAre("ld.queue.over_3_minutes"));
  EXPECT_THAT(response.edit().resets().paths(), ElementsAre("transfer_mode"));
  EXPECT_EQ(response.edit().decision().action(), v1::SCHEDULE_CALLBACK);

  const D d = Amended(Call("tampa", 200));
  EXPECT_EQ(d.transfer_mode(), v1::TRANSFER_MODE_UNSPECIFIED);
  EXPECT_FALSE(HasScript(d, "recording_disclosure"));
  EXPECT_EQ(Rules(d).count("cs.transfer.recording_disclosure"), 0u);
  EXPECT_EQ(Rules(d).count("cs.leadership_desk.cinch_service_delay"), 1u);
  EXPECT_EQ(d.matched_rules(0).rule_id(), "cs.leadership_desk.cinch_service_delay");
}

TEST_F(LeadershipDeskTest, AdmissionNeedsTheEvaluationInstant) {
  v1::PluginAdmitRequest request;
  *request.mutable_call() = Call("tampa");
  request.mutable_proposal()->mutable_decision()->set_action(v1::TRANSFER);
  request.mutable_proposal()->mutable_decision()->set_destination(
      D::LEADERSHIP_DESK);
  v1::PluginAdmitResponse response;
  absl::Status s = plugin_.Admit(request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("evaluation_time"), std::string::npos) << s;
}

// ---- LD-1, LD-2 live transfer ----

TEST_F(LeadershipDeskTest, LiveTransferStepsUseTheSiteSkillInOrder) {
  D d = Amended(Call("tampa", 180));  // Exactly 3 minutes: not over.
  EXPECT_EQ(d.action(), v1::TRANSFER);
  EXPECT_EQ(d.transfer_mode(), v1::LIVE);
  ASSERT_EQ(d.steps_size(), 8);
  EXPECT_EQ(d.steps(0).text(), "While on the active call, place the caller on hold.");
  EXPECT_EQ(d.steps(2).text(),
            "Search for your site specific Leadership Desk skill: LD_Tampa.");
  EXPECT_EQ(d.steps(6).text(), "Once everyone is joined, click Leave to leave the call.");
  EXPECT_EQ(d.steps(7).rule_id(), "ld.live_transfer.job_note");
  const v1::RequiredRecord* note = Record(d, v1::JOB_NOTE);
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->fields(1).name(), "Agent who took over");
  std::set<std::string> rules = Rules(d);
  EXPECT_TRUE(rules.count("cs.leadership_desk.cinch_service_delay"));  // Kept.
  EXPECT_TRUE(rules.count("ld.live_transfer.steps"));
  EXPECT_FALSE(rules.count("ld.queue.over_3_minutes"));
  EXPECT_EQ(Record(d, v1::CALL_BACK_EXCEPTION), nullptr);
  EXPECT_FALSE(d.has_callback());
  // CS-1: the live transfer keeps its recording disclosure.
  EXPECT_TRUE(HasScript(d, "recording_disclosure"));
  EXPECT_TRUE(rules.count("cs.transfer.recording_disclosure"));
  EXPECT_NE(Amended(Call("manila")).steps(2).text().find("LD_Manila"),
            std::string::npos);
}

// ---- LD-3 … LD-6 call back path ----

TEST_F(LeadershipDeskTest, OverThreeMinutesInQueueTakesTheCallBackPath) {
  D d = Amended(Call("manila", 181));
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  EXPECT_EQ(d.destination(), D::LEADERSHIP_DESK);
  EXPECT_EQ(d.transfer_mode(), v1::TRANSFER_MODE_UNSPECIFIED);
  EXPECT_TRUE(d.requires_supervisor_approval());
  std::set<std::string> rules = Rules(d);
  for (const char* id : {"ld.queue.over_3_minutes", "ld.callback.offer_script",
                         "ld.callback.booking", "ld.callback.confirmation_script",
                         "ld.callback.promise", "ld.callback.exception",
                         "ld.callback.job_note"}) {
    EXPECT_TRUE(rules.count(id)) << id;
  }
  EXPECT_FALSE(rules.count("ld.live_transfer.steps"));
  EXPECT_FALSE(rules.count("ld.live_transfer.job_note"));
  // No transfer takes place: the transfer's disclosure is not read.
  EXPECT_FALSE(HasScript(d, "recording_disclosure"));
  EXPECT_FALSE(rules.count("cs.transfer.recording_disclosure"));
  ASSERT_EQ(d.scripts_size(), 2);
  EXPECT_EQ(d.scripts(0).text().rfind("Thank you for holding. I apologize but my "
                                      "supervisor is currently unavailable.", 0),
            0u);
  EXPECT_NE(d.scripts(1).text().find("The appointment is scheduled for <Date> "
                                     "between <Appointment Timeframe>."),
            std::string::npos);
  bool link = false;
  for (const auto& s : d.steps()) {
    link |= s.text() == "Go to site specific booking link: https://book.example/manila";
  }
  EXPECT_TRUE(link);
  // Where each script is read: after the offer, after Book Appointment.
  auto after = [&d](const std::string& text) {
    for (int i = 0; i + 1 < d.steps_size(); ++i) {
      if (d.steps(i).text() == text) return d.steps(i + 1);
    }
    return v1::Step();
  };
  v1::Step offer = after(
      "Once permission is given, return to the customer and offer to "
      "schedule the Call Back with a supervisor.");
  EXPECT_EQ(offer.text(), "Read the callback offer script.");
  EXPECT_EQ(offer.rule_id(), "ld.callback.offer_script");
  v1::Step confirm = after("Click Book Appointment");
  EXPECT_EQ(confirm.text(), "Read the confirmation script.");
  EXPECT_EQ(confirm.rule_id(), "ld.callback.confirmation_script");
  // Just over 3 minutes counts; nanoseconds matter.
  v1::CallFacts call = Call("tampa", 180);
  call.mutable_live_transfer_queue_wait()->set_nanos(1);
  EXPECT_TRUE(QueueOverThreeMinutes(call));
  EXPECT_FALSE(QueueOverThreeMinutes(Call("tampa", 180)));
  EXPECT_FALSE(QueueOverThreeMinutes(Call("tampa")));
}

TEST_F(LeadershipDeskTest, CallBackExceptionRecordFieldsComeFromPolicyAndConfig) {
  D d = Amended(Call("tampa", 240));
  const v1::RequiredRecord* r = Record(d, v1::CALL_BACK_EXCEPTION);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->system(), v1::SERVICEBENCH);
  EXPECT_EQ(r->when(), "once the call has ended");
  ASSERT_EQ(r->fields_size(), 3);
  EXPECT_EQ(r->fields(0).value(), "Call Back");
  EXPECT_EQ(r->fields(1).value(), "Open");
  ASSERT_EQ(r->fields(2).allowed_values_size(), 1);
  EXPECT_EQ(r->fields(2).allowed_values(0), kComment);
  const v1::RequiredRecord* note = Record(d, v1::JOB_NOTE);
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->rule_id(), "ld.callback.job_note");
}

TEST_F(LeadershipDeskTest, PromiseDueInstantsCountFromTheAppointment) {
  v1::CallFacts call = Call("tampa", 300);
  const absl::Time appointment = absl::FromUnixSeconds(1'790'100'000);
  *call.mutable_callback_appointment() = sdk::ToProto(appointment);
  const v1::CallbackPromise p = Amended(call).callback();
  EXPECT_EQ(sdk::FromProto(p.anchor()), appointment);
  EXPECT_EQ(sdk::FromProto(p.first_contact_due()), appointment + absl::Minutes(5));
  EXPECT_EQ(sdk::FromProto(p.retry_due()), appointment + absl::Minutes(20));
  EXPECT_EQ(sdk::FromProto(p.first_contact_within()), absl::Minutes(5));
  EXPECT_EQ(sdk::FromProto(p.retry_within()), absl::Minutes(15));
  EXPECT_NE(p.if_unreachable().find("voicemail"), std::string::npos);

  EXPECT_EQ(p.summary().find("evaluation instant"), std::string::npos);
}

// LD-4 (revised): before a window is booked, durations only.
TEST_F(LeadershipDeskTest, PromiseWithoutAnAppointmentGivesDurationsOnly) {
  const v1::CallbackPromise p = Amended(Call("tampa", 300)).callback();
  EXPECT_FALSE(p.has_anchor());
  EXPECT_FALSE(p.has_first_contact_due());
  EXPECT_FALSE(p.has_retry_due());
  EXPECT_EQ(sdk::FromProto(p.first_contact_within()), absl::Minutes(5));
  EXPECT_EQ(sdk::FromProto(p.retry_within()), absl::Minutes(15));
  EXPECT_EQ(p.summary(),
            "You will be contacted within 5 minutes of your appointment "
            "window. If you miss the initial call the supervisor will try "
            "calling again within 15 minutes.");
}

// LD-3: the Call Back is offered only "once permission is given".
TEST_F(LeadershipDeskTest, RefusedCallBackLeavesNoCallBackInTheAnswer) {
  v1::CallFacts call = Call("tampa", 240);
  call.add_supervisor_permissions_refused(
      v1::PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST);
  const D d = Amended(call);
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.destination(), D::CUSTOMER_SERVICE);
  EXPECT_EQ(d.transfer_mode(), v1::TRANSFER_MODE_UNSPECIFIED);
  EXPECT_FALSE(d.has_callback());
  EXPECT_EQ(d.required_records_size(), 0);
  EXPECT_EQ(d.scripts_size(), 0);  // No offer, no confirmation, no disclosure.
  EXPECT_FALSE(d.requires_supervisor_approval());
  EXPECT_EQ(d.supervisor_permissions_size(), 0);
  for (const v1::Step& s : d.steps()) {
    EXPECT_EQ(s.text().find("Call Back"), std::string::npos) << s.text();
    EXPECT_EQ(s.text().find("booking"), std::string::npos) << s.text();
  }
  EXPECT_NE(d.summary().find("do not offer or schedule a Call Back"),
            std::string::npos)
      << d.summary();
  EXPECT_TRUE(Rules(d).count("ld.queue.callback_refused"));
  const sdk::Rule* rule = plugin_.FindRule("ld.queue.callback_refused");
  ASSERT_NE(rule, nullptr);
  EXPECT_NE(rule->title.find("design reading"), std::string::npos);
}

// LD-5: "Enter the appropriate comment based on the reason".
TEST_F(LeadershipDeskTest, ExceptionCommentOffersThoseOfTheCallsReasons) {
  Struct c = GoodConfig();
  Struct* by_reason = (*c.mutable_fields())["approved_exception_comments"]
                          .mutable_struct_value();
  auto list = [&](const std::string& key,
                  std::initializer_list<const char*> comments) {
    auto* l = (*by_reason->mutable_fields())[key].mutable_list_value();
    for (const char* comment : comments) l->add_values()->set_string_value(comment);
  };
  list("CINCH_SERVICE_DELAY", {"Cinch delay"});
  list("COVERAGE_DENIAL", {"Denial A", "Denial B"});
  list("LEGAL_ACTION", {"Legal"});
  ASSERT_TRUE(plugin_.Configure(c).ok());
  auto offered = [&](const v1::CallFacts& call) {
    const D d = Amended(call);
    const v1::RequiredRecord* r = Record(d, v1::CALL_BACK_EXCEPTION);
    EXPECT_NE(r, nullptr);
    std::vector<std::string> out;
    if (r == nullptr) return out;
    for (const std::string& v : r->fields(2).allowed_values()) out.push_back(v);
    return out;
  };
  // Call() gives CINCH_SERVICE_DELAY.
  EXPECT_THAT(offered(Call("tampa", 240)), ::testing::ElementsAre("Cinch delay"));
  v1::CallFacts two = Call("tampa", 240);
  two.add_reasons(v1::COVERAGE_DENIAL);
  EXPECT_THAT(offered(two),
              ::testing::ElementsAre("Cinch delay", "Denial A", "Denial B"));
  // No reason of the call has comments: all of them.
  v1::CallFacts none = Call("tampa", 240);
  none.clear_reasons();
  none.add_reasons(v1::SUPERVISOR_REQUEST);
  EXPECT_THAT(offered(none), ::testing::ElementsAre("Cinch delay", "Denial A",
                                                    "Denial B", "Legal"));
  // Validation accepts any configured comment, whatever the reason.
  v1::Task t;
  t.set_kind(v1::CALL_BACK_EXCEPTION);
  t.set_exception_type("Call Back");
  t.set_exception_status("Open");
  for (const char* comment : {"Cinch delay", "Denial B", "Legal"}) {
    t.set_text(comment);
    EXPECT_EQ(Fields(Validate(t)).count("text"), 0u) << comment;
  }
  t.set_text("Something else");
  EXPECT_EQ(Fields(Validate(t)).count("text"), 1u);
}

TEST_F(LeadershipDeskTest, ExceptionCommentsByAnUnknownReasonAreRefused) {
  Struct c = GoodConfig();
  Struct* by_reason = (*c.mutable_fields())["approved_exception_comments"]
                          .mutable_struct_value();
  (*by_reason->mutable_fields())["CINCH_DELAY"]
      .mutable_list_value()->add_values()->set_string_value("x");
  const absl::Status s = plugin_.Configure(c);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"CINCH_DELAY\""), std::string::npos) << s;
}

}  // namespace
}  // namespace escalation::leadership_desk
