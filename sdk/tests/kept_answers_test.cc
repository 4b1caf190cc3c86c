// A thread keeps the messages of its last route and admit answers, cleared,
// for the next (sdk/src/kept_answers.h): whatever a thread answered before,
// each answer through the ABI is the one the same call gets on a thread that
// never answered.
#include <string>
#include <thread>
#include <vector>

#include "escalation/plugin_abi.h"
#include "escalation/sdk/facts.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"
#include "gtest/gtest.h"
#include "rule_table_plugins.h"

namespace escalation::sdk {
namespace {

using ::escalation::sdk::rule_table_test::Call;

bool CancelsContract(const Call& c) { return HasReason(c.call, v1::CANCEL_CONTRACT); }
bool HasSite(const Call& c) { return !c.call.site().empty(); }

// Routes and admits by tables whose rows hold by the call's reason and site,
// one of them with a text that depends on the call.
class ChangingPlugin : public Plugin {
 public:
  ChangingPlugin()
      : route_({{{"k.cancel", "Cancel goes to Retention", "Article"},
                 CancelsContract,
                 Outcome()
                     .Priority(v1::RETENTION_TRANSFER)
                     .Action(v1::TRANSFER)
                     .To(v1::Decision::RETENTION)
                     .Summary("Transfer to Retention, the department that keeps contracts.")
                     .Steps({"Tell the customer why the call is transferred.",
                             "Stay on the line until Retention answers."})
                     .Note("Retention may call the customer back instead.")},
                {{"k.site", "The site answers", "Article"},
                 HasSite,
                 Outcome()
                     .Priority(v1::RESOLVE_IN_DEPARTMENT)
                     .Action(v1::RESOLVE_HERE)
                     .To(v1::Decision::CUSTOMER_SERVICE)
                     .Summary("Resolve the call here, at the caller's own site.")
                     .Step("Confirm the site's address with the customer first."),
                 [](const Rule&, const Call& c, v1::Decision* d) {
                   d->add_notes("The site on record is " + c.call.site() + ", as the CRM says.");
                 }}}),
        admit_({{{"k.admit_cancel", "A cancelling caller is held", "Article"},
                 CancelsContract,
                 Outcome().Mode(v1::LIVE).Step("Place the caller on hold before the transfer.")},
                {{"k.admit_site", "The site is named", "Article"},
                 HasSite,
                 Outcome().Step("Name the site to the department that takes the call."),
                 [](const Rule&, const Call& c, v1::Decision* d) {
                   d->add_notes("Taken for the site " + c.call.site() + ", as the CRM says.");
                 }}}) {
    RoutesFor(v1::CUSTOMER_SERVICE);
    AdmitsFor(v1::Decision::RETENTION);
    AdmitsByEdit();
    DeclareTable(route_);
    DeclareTable(admit_);
  }
  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    Apply(route_, Call{request.call()}, response);
    return absl::OkStatus();
  }
  absl::Status Admit(const v1::PluginAdmitRequest& request,
                     v1::PluginAdmitResponse* response) const override {
    if (!HasSite(Call{request.call()}) && !CancelsContract(Call{request.call()})) {
      return absl::OkStatus();  // Keeps the proposal, with no edit.
    }
    Apply(admit_, Call{request.call()}, response->mutable_edit());
    return absl::OkStatus();
  }

 private:
  RouteTable<Call> route_;
  AdmitTable<Call> admit_;
};

std::unique_ptr<Plugin> MakeChangingPlugin() { return std::make_unique<ChangingPlugin>(); }

v1::CallFacts CallWith(bool cancels, const std::string& site) {
  v1::CallFacts call;
  call.set_department(v1::CUSTOMER_SERVICE);
  if (cancels) call.add_reasons(v1::CANCEL_CONTRACT);
  call.set_site(site);
  return call;
}

class KeptAnswersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    d_ = internal::MakeDescriptor(&MakeChangingPlugin, "changing", "1.0.0");
    EscBuffer message{nullptr, 0};
    ASSERT_EQ(d_.create(nullptr, 0, &instance_, &message), ESC_OK);
    d_.release_buffer(&message);
  }
  void TearDown() override { d_.destroy(instance_); }

  // The answer of `call` through the ABI, by route or by admit.
  std::string Answer(bool admit, const v1::CallFacts& call) const {
    std::string request;
    if (admit) {
      v1::PluginAdmitRequest r;
      *r.mutable_call() = call;
      r.mutable_proposal()->mutable_decision()->set_destination(v1::Decision::RETENTION);
      request = r.SerializeAsString();
    } else {
      v1::PluginRouteRequest r;
      *r.mutable_call() = call;
      request = r.SerializeAsString();
    }
    EscBuffer out{nullptr, 0};
    const auto* bytes = reinterpret_cast<const uint8_t*>(request.data());
    const EscStatus status = admit ? d_.admit(instance_, bytes, request.size(), &out)
                                   : d_.route(instance_, bytes, request.size(), &out);
    std::string answer(reinterpret_cast<const char*>(out.data), out.size);
    d_.release_buffer(&out);
    EXPECT_EQ(status, ESC_OK) << answer;
    return answer;
  }
  // The same, on a thread that never answered.
  std::string FreshAnswer(bool admit, const v1::CallFacts& call) const {
    std::string answer;
    std::thread([&] { answer = Answer(admit, call); }).join();
    return answer;
  }

  EscPluginDescriptor d_{};
  EscPluginInstance* instance_ = nullptr;
};

// From the most rows to none and back, with a site name that grows and
// shrinks: each answer as on a fresh thread.
TEST_F(KeptAnswersTest, EachAnswerIsTheOneAFreshThreadGives) {
  const std::vector<v1::CallFacts> calls = {
      CallWith(true, "Tampa, the site with the longest name of all the sites"),
      CallWith(false, "Reno"), CallWith(false, ""),
      CallWith(true, ""),     CallWith(true, "Tampa, the site with the longest name of all"),
      CallWith(false, "")};
  for (bool admit : {false, true}) {
    for (size_t i = 0; i < calls.size(); ++i) {
      SCOPED_TRACE(::testing::Message() << (admit ? "admit" : "route") << " call " << i);
      const std::string expected = FreshAnswer(admit, calls[i]);
      EXPECT_EQ(Answer(admit, calls[i]), expected);
      EXPECT_EQ(Answer(admit, calls[i]), expected);
    }
  }
}

// A route answer and an admit answer on one thread keep apart.
TEST_F(KeptAnswersTest, RouteAndAdmitAnswersInTurnStayApart) {
  const v1::CallFacts call = CallWith(true, "Tampa");
  const std::string route = FreshAnswer(false, call);
  const std::string admit = FreshAnswer(true, call);
  ASSERT_NE(route, admit);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Answer(false, call), route);
    EXPECT_EQ(Answer(true, call), admit);
  }
}

}  // namespace
}  // namespace escalation::sdk
