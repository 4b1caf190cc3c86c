// Issue 9 on Customer Service: a fact the call does not give that would take
// a Tier 1 situation elsewhere is named; each supervisor's permission a route
// depends on is listed with what the facts say; records carry their type.
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "rules.h"
#include "tests/fixture.h"

namespace escalation::customer_service {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAbove[] = "not known: call.already_spoke_with_supervisor; if";
constexpr char kUnable[] = "not known: call.supervisor_could_not_resolve; if";

TEST_F(CustomerServiceTest, ASupervisorRequestNamesTheFactsThatWouldMoveIt) {
  v1::CallFacts call = Call({v1::SUPERVISOR_REQUEST});
  call.set_de_escalation_failed(true);
  D desk = To(Route(call), D::LEADERSHIP_DESK).decision();
  EXPECT_THAT(desk.notes(), Contains(HasSubstr(kAbove)));
  EXPECT_THAT(desk.notes(), Contains(HasSubstr(kUnable)));
  EXPECT_THAT(sdk::testing::RuleIds(desk), Contains("cs.tier1.not_known"));
  // Either fact given: its note goes.
  call.set_already_spoke_with_supervisor(false);
  call.set_supervisor_could_not_resolve(false);
  desk = To(Route(call), D::LEADERSHIP_DESK).decision();
  EXPECT_THAT(desk.notes(), Not(Contains(HasSubstr("not known"))));
  // A Tier 1 reason that is no supervisor request: only the supervisors' note.
  v1::CallFacts delay = Call({v1::CINCH_SERVICE_DELAY});
  const D keep = To(Route(delay), D::CUSTOMER_SERVICE).decision();
  EXPECT_THAT(keep.notes(), Contains(HasSubstr(kUnable)));
  EXPECT_THAT(keep.notes(), Not(Contains(HasSubstr(kAbove))));
}

v1::CallFacts Threat() {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  call.add_threats(v1::NEWS_MEDIA);
  return call;
}

TEST_F(CustomerServiceTest, Tier2PermissionIsListedGivenRefusedOrNotKnown) {
  v1::CallFacts call = Threat();
  D d = To(Route(call), D::TIER2).decision();
  EXPECT_TRUE(d.requires_supervisor_approval());
  ASSERT_EQ(d.supervisor_permissions_size(), 1);
  EXPECT_EQ(d.supervisor_permissions(0).permission(), v1::PERMISSION_TIER2_CONTACT);
  EXPECT_FALSE(d.supervisor_permissions(0).has_given());

  call.add_supervisor_permissions_given(v1::PERMISSION_TIER2_CONTACT);
  d = To(Route(call), D::TIER2).decision();
  EXPECT_TRUE(d.requires_supervisor_approval());
  EXPECT_TRUE(d.supervisor_permissions(0).given());

  // The list wins over the v1.0 fact; refused withdraws Tier 2 as false did.
  call = Threat();
  call.set_supervisor_approved(true);
  call.add_supervisor_permissions_refused(v1::PERMISSION_TIER2_CONTACT);
  auto r = Route(call);
  EXPECT_FALSE(HasProposalTo(r, D::TIER2));
  EXPECT_TRUE(Has(r, "cs.tier2.not_approved"));
}

TEST_F(CustomerServiceTest, CallBackExceptionPermissionIsListedUnlessRefused) {
  v1::CallFacts call = Call({v1::COVERAGE_DENIAL});
  call.set_supervisor_could_not_resolve(true);
  auto permission = [&](const v1::CallFacts& c) {
    const D d = Route(c).proposals(0).decision();
    EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
    EXPECT_TRUE(d.requires_supervisor_approval());
    EXPECT_EQ(d.supervisor_permissions_size(), 1);
    EXPECT_EQ(d.supervisor_permissions(0).permission(),
              v1::PERMISSION_CALL_BACK_EXCEPTION);
    EXPECT_EQ(d.supervisor_permissions(0).rule_id(),
              "cs.callback_exception.supervisors_unable");
    return d;
  };
  EXPECT_FALSE(permission(call).supervisor_permissions(0).has_given());
  // supervisor_approved answers for Tier 2 only.
  call.set_supervisor_approved(true);
  EXPECT_FALSE(permission(call).supervisor_permissions(0).has_given());
  call.add_supervisor_permissions_given(v1::PERMISSION_CALL_BACK_EXCEPTION);
  D d = permission(call);
  EXPECT_TRUE(d.supervisor_permissions(0).given());
  EXPECT_THAT(d.notes(), Contains("A supervisor gave permission to enter a "
                                  "Call Back exception."));
  // Refused: no Call Back exception, so no permission for it is asked for
  // (callback_exception_refused_test.cc).
  call.clear_supervisor_permissions_given();
  call.add_supervisor_permissions_refused(v1::PERMISSION_CALL_BACK_EXCEPTION);
  d = Route(call).proposals(0).decision();
  EXPECT_EQ(d.action(), v1::RESOLVE_HERE);
  EXPECT_EQ(d.supervisor_permissions_size(), 0);
  EXPECT_THAT(d.notes(), Contains(HasSubstr("did not give permission to enter "
                                            "a Call Back exception")));
}

TEST_F(CustomerServiceTest, Tier2ClosedDependsOnTheCallBackPermissionOnly) {
  v1::CallFacts call = Threat();
  const D d = To(Route(call, Eastern(2026, 11, 22, 12, 0)), D::TIER2).decision();
  EXPECT_EQ(d.action(), v1::SCHEDULE_CALLBACK);
  ASSERT_EQ(d.supervisor_permissions_size(), 1);
  EXPECT_EQ(d.supervisor_permissions(0).permission(),
            v1::PERMISSION_CALL_BACK_EXCEPTION);
}

TEST_F(CustomerServiceTest, APermissionBothGivenAndRefusedIsRefused) {
  v1::CallFacts call = Threat();
  call.add_supervisor_permissions_given(v1::PERMISSION_TIER2_CONTACT);
  call.add_supervisor_permissions_refused(v1::PERMISSION_TIER2_CONTACT);
  v1::PluginRouteRequest request;
  *request.mutable_call() = call;
  *request.mutable_evaluation_time() = sdk::ToProto(kMondayMorning);
  v1::PluginRouteResponse response;
  absl::Status s = plugin_.Route(request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("PERMISSION_TIER2_CONTACT"));
}

TEST_F(CustomerServiceTest, AnUnknownSiteIsQuotedToAHundredBytes) {
  v1::PluginRouteRequest request;
  *request.mutable_call() = Call({v1::CANCEL_CONTRACT});
  request.mutable_call()->set_site(std::string(2000, 's'));
  *request.mutable_evaluation_time() = sdk::ToProto(kMondayMorning);
  v1::PluginRouteResponse response;
  absl::Status s = plugin_.Route(request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(s.message().size(), 250u);
  EXPECT_THAT(std::string(s.message()), HasSubstr("call.site"));
}

TEST_F(CustomerServiceTest, RecordsCarryTheirRecordType) {
  const D d = To(Route(Threat()), D::TIER2).decision();
  std::set<std::string> types;
  for (const auto& r : d.required_records()) types.insert(r.record_type());
  EXPECT_EQ(types, (std::set<std::string>{kFinalComments}));
  ASSERT_EQ(plugin_.manifest().record_types_size(), 1);
  EXPECT_EQ(plugin_.manifest().record_types(0).id(), kFinalComments);
  v1::CallFacts unable = Call({v1::COVERAGE_DENIAL});
  unable.set_supervisor_could_not_resolve(true);
  types.clear();
  const D callback = Route(unable).proposals(0).decision();
  for (const auto& r : callback.required_records()) {
    types.insert(r.record_type());
  }
  EXPECT_EQ(types, (std::set<std::string>{kFinalComments,
                                          "leadership_desk.callback_exception"}));
}

}  // namespace
}  // namespace escalation::customer_service
