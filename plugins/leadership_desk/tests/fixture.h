// The fixture shared by the Leadership Desk unit tests: a configured plugin
// and helpers to admit a proposal and validate a task.
#ifndef ESCALATION_PLUGINS_LEADERSHIP_DESK_TESTS_FIXTURE_H_
#define ESCALATION_PLUGINS_LEADERSHIP_DESK_TESTS_FIXTURE_H_

#include <set>
#include <string>

#include "absl/time/time.h"
#include "escalation/sdk/testing.h"
#include "escalation/sdk/time.h"
#include "gtest/gtest.h"
#include "plugin.h"
#include "rules.h"

namespace escalation::leadership_desk {

using D = v1::Decision;
using google::protobuf::Struct;

constexpr char kComment[] = "Supervisor Request - Call Back scheduled";
inline const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);  // Evaluation.

inline bool HasScript(const v1::Decision& d, const std::string& id) {
  for (const auto& s : d.scripts()) {
    if (s.id() == id) return true;
  }
  return false;
}

inline Struct Site(const std::string& skill, const std::string& link) {
  Struct s;
  (*s.mutable_fields())["leadership_desk_skill"].set_string_value(skill);
  (*s.mutable_fields())["booking_link"].set_string_value(link);
  return s;
}

inline Struct GoodConfig() {
  Struct c;
  auto* sites = (*c.mutable_fields())["sites"].mutable_struct_value();
  *(*sites->mutable_fields())["tampa"].mutable_struct_value() =
      Site("LD_Tampa", "https://book.example/tampa");
  *(*sites->mutable_fields())["manila"].mutable_struct_value() =
      Site("LD_Manila", "https://book.example/manila");
  (*c.mutable_fields())["approved_exception_comments"]
      .mutable_list_value()->add_values()->set_string_value(kComment);
  return c;
}

class LeadershipDeskTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(plugin_.Configure(GoodConfig()).ok()); }

  static v1::CallFacts Call(const std::string& site, int wait_seconds = -1) {
    v1::CallFacts call;
    call.set_department(v1::CUSTOMER_SERVICE);
    call.add_reasons(v1::CINCH_SERVICE_DELAY);
    call.set_site(site);
    if (wait_seconds >= 0) {
      call.mutable_live_transfer_queue_wait()->set_seconds(wait_seconds);
    }
    return call;
  }

  // The proposal as Customer Service makes it (CS-1: the transfer's disclosure).
  static v1::Proposal Proposal(v1::Action action = v1::TRANSFER) {
    v1::Proposal proposal;
    proposal.set_priority(v1::LEADERSHIP_DESK_TIER1);
    D* d = proposal.mutable_decision();
    d->set_action(action);
    d->set_destination(D::LEADERSHIP_DESK);
    d->set_transfer_mode(v1::LIVE);
    d->add_matched_rules()->set_rule_id("cs.leadership_desk.cinch_service_delay");
    d->add_matched_rules()->set_rule_id("cs.transfer.recording_disclosure");
    v1::Script* disclosure = d->add_scripts();
    disclosure->set_id("recording_disclosure");
    disclosure->set_rule_id("cs.transfer.recording_disclosure");
    return proposal;
  }

  // The proposal as the server takes it once the desk admitted it.
  absl::StatusOr<v1::Proposal> Admit(const v1::CallFacts& call,
                                     v1::Action action = v1::TRANSFER) {
    return sdk::testing::AdmitAt(plugin_, call, Proposal(action), kNow);
  }

  D Amended(const v1::CallFacts& call) {
    auto r = Admit(call);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return D();
    EXPECT_EQ(r->priority(), v1::LEADERSHIP_DESK_TIER1);
    return r->decision();
  }

  static std::set<std::string> Rules(const D& d) {
    std::set<std::string> ids;
    for (const auto& m : d.matched_rules()) ids.insert(m.rule_id());
    return ids;
  }
  static const v1::RequiredRecord* Record(const D& d, v1::TaskKind kind) {
    for (const auto& r : d.required_records()) {
      if (r.kind() == kind) return &r;
    }
    return nullptr;
  }

  v1::PluginValidateResponse Validate(const v1::Task& task) {
    v1::PluginValidateRequest request;
    *request.mutable_task() = task;
    v1::PluginValidateResponse response;
    absl::Status s = plugin_.Validate(request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }
  static std::set<std::string> Fields(const v1::PluginValidateResponse& r,
                                      v1::Severity severity = v1::ERROR) {
    std::set<std::string> out;
    for (const auto& v : r.violations()) {
      if (v.severity() == severity) out.insert(v.field());
    }
    return out;
  }

  LeadershipDeskPlugin plugin_;
};

}  // namespace escalation::leadership_desk

#endif  // ESCALATION_PLUGINS_LEADERSHIP_DESK_TESTS_FIXTURE_H_
