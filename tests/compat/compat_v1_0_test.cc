// A plugin built against the frozen v1.0 API, loaded through the current host.
#include <memory>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/policy_engine.h"

namespace escalation::host {
namespace {

using ::testing::ElementsAre;

const absl::Time kNow = absl::FromUnixSeconds(1795446000);  // 2026-11-23T15:00:00Z

class CompatV1_0Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    LoadOptions options;
    options.plugin_paths = {COMPAT_V1_0_PLUGIN};
    auto registry = LoadPluginRegistry(options);
    ASSERT_TRUE(registry.ok()) << registry.status();
    engine_ = new PolicyEngine(*registry);
  }
  static void TearDownTestSuite() { delete engine_; }

  static PolicyEngine* engine_;
};

PolicyEngine* CompatV1_0Test::engine_ = nullptr;

template <typename M>
M FromText(const std::string& text) {
  M message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

TEST_F(CompatV1_0Test, ListsItsManifest) {
  const v1::ListPluginsResponse list = engine_->ListPlugins();
  ASSERT_EQ(list.plugins_size(), 1);
  const v1::PluginInfo& info = list.plugins(0);
  EXPECT_EQ(info.manifest().name(), "compat_v1_0");
  EXPECT_EQ(info.manifest().version(), "1.0.0");
  EXPECT_EQ(info.abi_major(), 1u);
  EXPECT_EQ(info.abi_minor(), 0u);
  EXPECT_THAT(info.manifest().routes_for(), ElementsAre(v1::MEMBERSHIP_SERVICES));
  EXPECT_THAT(info.manifest().validates(), ElementsAre(v1::T2_TASK));
  ASSERT_EQ(info.manifest().rules_size(), 2);
  EXPECT_EQ(info.manifest().rules(0).source_article(),
            "T2 Live Transfer from Membership Services");
}

TEST_F(CompatV1_0Test, RoutesCorrectlyWhenTheRequestCarriesFieldsItDoesNotKnow) {
  auto request = FromText<v1::RouteRequest>(R"pb(
    call {
      department: MEMBERSHIP_SERVICES threats: CANCEL_WARRANTY customer_name: "Ada"
      extensions { fields { key: "ticket" value { string_value: "T-1" } } }
    })pb");
  // Fields a later API version adds reach the old plugin as unknown fields.
  auto* unknown = request.mutable_call()->GetReflection()->MutableUnknownFields(
      request.mutable_call());
  unknown->AddVarint(900, 1);
  unknown->AddLengthDelimited(901, "a field from the future");

  auto response = engine_->Route(request, kNow);
  ASSERT_TRUE(response.ok()) << response.status();
  const auto expected = FromText<v1::Decision>(R"pb(
    action: TRANSFER destination: TIER2 transfer_mode: WARM
    summary: "Warm transfer to Tier 2."
    scripts { id: "compat.script" text: "Ada, one moment." rule_id: "compat.transfer" }
    steps { text: "Warm transfer the caller to Tier 2." rule_id: "compat.transfer" }
    required_records {
      system: ZOHO kind: T2_TASK when: "after the call" rule_id: "compat.transfer"
      fields { name: "Category" value: "Membership Services" }
    }
    callback {
      anchor { seconds: 1795446000 }
      first_contact_within { seconds: 300 }
      first_contact_due { seconds: 1795446300 }
    }
    matched_rules {
      rule_id: "compat.transfer" title: "Warm transfer to Tier 2"
      source_article: "T2 Live Transfer from Membership Services"
      plugin: "compat_v1_0" plugin_version: "1.0.0"
    }
    extensions { fields { key: "ticket" value { string_value: "T-1" } } })pb");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response->decision(), expected))
      << response->decision().DebugString();
  EXPECT_EQ(response->evaluation_time().seconds(), 1795446000);
}

TEST_F(CompatV1_0Test, ValidatesTasks) {
  auto invalid = engine_->ValidateTask(
      FromText<v1::ValidateTaskRequest>(
          R"pb(task { kind: T2_TASK resolution_reasons: [ "None", "Created T3 for Follow Up" ] })pb"),
      kNow);
  ASSERT_TRUE(invalid.ok()) << invalid.status();
  EXPECT_FALSE(invalid->valid());
  ASSERT_EQ(invalid->violations_size(), 1);
  EXPECT_EQ(invalid->violations(0).rule_id(), "compat.one_reason");
  EXPECT_EQ(invalid->violations(0).field(), "resolution_reasons");
  EXPECT_EQ(invalid->violations(0).severity(), v1::ERROR);
  EXPECT_EQ(invalid->violations(0).plugin(), "compat_v1_0");

  auto valid = engine_->ValidateTask(
      FromText<v1::ValidateTaskRequest>(
          R"pb(task { kind: T2_TASK resolution_reasons: "Created T3 for Follow Up" })pb"),
      kNow);
  ASSERT_TRUE(valid.ok()) << valid.status();
  EXPECT_TRUE(valid->valid());
  EXPECT_EQ(valid->checked_rules_size(), 1);
}

}  // namespace
}  // namespace escalation::host
