// The fixture shared by the Customer Service unit tests: a configured plugin
// and helpers to route a call and look into the proposals.
#ifndef ESCALATION_PLUGINS_CUSTOMER_SERVICE_TESTS_FIXTURE_H_
#define ESCALATION_PLUGINS_CUSTOMER_SERVICE_TESTS_FIXTURE_H_

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "plugin.h"
#include "escalation/sdk/testing.h"
#include "escalation/sdk/time.h"
#include "gtest/gtest.h"
#include "rules.h"

namespace escalation::customer_service {

using D = v1::Decision;

inline absl::Time Eastern(int y, int mo, int d, int h, int mi) {
  absl::TimeZone tz;
  absl::LoadTimeZone("America/New_York", &tz);
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), tz);
}
// A Monday, 10:00 Eastern: Tier 2 is open.
inline const absl::Time kMondayMorning = Eastern(2026, 11, 23, 10, 0);

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

}  // namespace escalation::customer_service

#endif  // ESCALATION_PLUGINS_CUSTOMER_SERVICE_TESTS_FIXTURE_H_
