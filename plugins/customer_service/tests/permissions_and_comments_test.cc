// The Call Back exception permission acted on once given (CS-7, CS-8), the
// permission step on the Tier 2 closed path, and the approved Exception
// Comments offered for the call's reasons.
#include <initializer_list>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "tests/fixture.h"

namespace escalation::customer_service {
namespace {

using ::testing::ElementsAre;

// A Sunday, 12:00 Eastern: Tier 2 is closed.
const absl::Time kSunday = Eastern(2026, 11, 22, 12, 0);
constexpr char kAskPermission[] =
    "Reach out to a Supervisor to advise of the issue and receive permission "
    "to enter a CallBack exception.";

const v1::Proposal* CallBack(const v1::PluginRouteResponse& r) {
  for (const v1::Proposal& p : r.proposals()) {
    if (p.decision().action() == v1::SCHEDULE_CALLBACK) return &p;
  }
  return nullptr;
}

bool HasStep(const D& d, const std::string& text) {
  for (const v1::Step& s : d.steps()) {
    if (s.text() == text) return true;
  }
  return false;
}

std::vector<std::string> OfferedComments(const D& d) {
  for (const v1::RequiredRecord& r : d.required_records()) {
    if (r.kind() != v1::CALL_BACK_EXCEPTION) continue;
    for (const v1::RecordField& f : r.fields()) {
      if (f.task_field() == "text") {
        return {f.allowed_values().begin(), f.allowed_values().end()};
      }
    }
  }
  ADD_FAILURE() << "no Call Back exception comment";
  return {};
}

TEST_F(CustomerServiceTest, CallBackPermissionGivenIsActedOnWhileTier2IsOpen) {
  // A Tier 1 situation, supervisor_could_not_resolve not sent.
  v1::CallFacts call = Call({v1::CLAIM_CREDIT_DISPUTE});
  call.add_supervisor_permissions_given(v1::PERMISSION_CALL_BACK_EXCEPTION);
  const v1::PluginRouteResponse r = Route(call);
  const v1::Proposal* p = CallBack(r);
  ASSERT_NE(p, nullptr) << r.DebugString();
  EXPECT_TRUE(HasRecord(p->decision(), v1::CALL_BACK_EXCEPTION));
  EXPECT_TRUE(HasRecord(p->decision(), v1::SERVICE_REQUEST_COMMENT));  // CS-8
  EXPECT_FALSE(Has(r, "cs.leadership_desk.deescalate_first"));
  // Given: no step asks for it any more.
  EXPECT_FALSE(HasStep(p->decision(),
                       "If the supervisors are unable to assist, they may give "
                       "you permission to enter a CallBack exception."));
  EXPECT_EQ(p->decision().summary(),
            "A supervisor gave permission to enter a Call Back exception: "
            "enter it once the call has ended.");

  // A Tier 2 situation whose Tier 2 permission was refused.
  v1::CallFacts tier2;
  tier2.set_department(v1::CUSTOMER_SERVICE);
  tier2.add_threats(v1::LEGAL_ACTION);
  tier2.add_supervisor_permissions_given(v1::PERMISSION_CALL_BACK_EXCEPTION);
  tier2.add_supervisor_permissions_refused(v1::PERMISSION_TIER2_CONTACT);
  const v1::PluginRouteResponse t = Route(tier2);
  ASSERT_EQ(t.proposals_size(), 1) << t.DebugString();
  EXPECT_EQ(t.proposals(0).decision().action(), v1::SCHEDULE_CALLBACK);
  EXPECT_TRUE(HasRecord(t.proposals(0).decision(), v1::CALL_BACK_EXCEPTION));
}

TEST_F(CustomerServiceTest, Tier2ClosedPathAsksForThePermissionUntilAnswered) {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  call.add_threats(v1::LEGAL_ACTION);
  D closed = To(Route(call, kSunday), D::TIER2).decision();
  EXPECT_TRUE(HasStep(closed, kAskPermission));
  EXPECT_EQ(closed.steps(0).text(), kAskPermission);

  call.add_supervisor_permissions_given(v1::PERMISSION_CALL_BACK_EXCEPTION);
  EXPECT_FALSE(HasStep(To(Route(call, kSunday), D::TIER2).decision(), kAskPermission));
  // Open: the Tier 2 permission's own step, as before.
  call.clear_supervisor_permissions_given();
  EXPECT_FALSE(HasStep(To(Route(call), D::TIER2).decision(), kAskPermission));
}

class ConfiguredCommentsTest : public CustomerServiceTest {
 protected:
  void SetUp() override {
    google::protobuf::Struct config;
    (*config.mutable_fields())["sites"].mutable_list_value()->add_values()
        ->set_string_value("tampa");
    auto* by = (*config.mutable_fields())["approved_exception_comments"]
                   .mutable_struct_value();
    auto list = [&](const std::string& key, std::initializer_list<const char*> cs) {
      auto* l = (*by->mutable_fields())[key].mutable_list_value();
      for (const char* c : cs) l->add_values()->set_string_value(c);
    };
    list("LEGAL_ACTION", {"Legal"});
    list("NEWS_MEDIA", {"Legal"});
    list("CLAIM_CREDIT_DISPUTE", {"Credit"});
    ASSERT_TRUE(plugin_.Configure(config).ok());
  }
};

TEST_F(ConfiguredCommentsTest, CallBackExceptionOffersTheCommentsOfTheCallsReasons) {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  call.add_threats(v1::LEGAL_ACTION);
  call.add_threats(v1::NEWS_MEDIA);
  EXPECT_THAT(OfferedComments(To(Route(call, kSunday), D::TIER2).decision()),
              ElementsAre("Legal"));

  // No reason of the call has comments: all of them (reasons, then threats).
  v1::CallFacts other = Call({v1::UNAUTHORIZED_WORK});
  other.set_supervisor_could_not_resolve(true);
  const v1::PluginRouteResponse r = Route(other);
  const v1::Proposal* p = CallBack(r);
  ASSERT_NE(p, nullptr);
  EXPECT_THAT(OfferedComments(p->decision()), ElementsAre("Credit", "Legal"));
}

TEST_F(ConfiguredCommentsTest, CommentsByAnUnknownReasonAreRefused) {
  google::protobuf::Struct config;
  (*config.mutable_fields())["sites"].mutable_list_value()->add_values()
      ->set_string_value("tampa");
  (*(*config.mutable_fields())["approved_exception_comments"]
        .mutable_struct_value()->mutable_fields())["LEGAL"]
      .mutable_list_value()->add_values()->set_string_value("x");
  const absl::Status s = plugin_.Configure(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), ::testing::HasSubstr("\"LEGAL\""));
}

}  // namespace
}  // namespace escalation::customer_service
