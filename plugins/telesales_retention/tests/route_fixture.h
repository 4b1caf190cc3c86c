// The fixture of the TS&R routing tests: the calls they route and the
// proposals they read.
#ifndef PLUGINS_TELESALES_RETENTION_TESTS_ROUTE_FIXTURE_H_
#define PLUGINS_TELESALES_RETENTION_TESTS_ROUTE_FIXTURE_H_

#include <vector>

#include "absl/time/time.h"
#include "escalation/sdk/testing.h"
#include "fixture.h"
#include "gtest/gtest.h"

namespace escalation::telesales_retention::testing_util {

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

}  // namespace escalation::telesales_retention::testing_util

#endif  // PLUGINS_TELESALES_RETENTION_TESTS_ROUTE_FIXTURE_H_
