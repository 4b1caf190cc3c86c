// An old client: one built from the frozen v1.0 protos, which knows neither
// supervisor_permissions_* nor Decision.supervisor_permissions, sends the
// v1.0 fact supervisor_approved and reads the answer with its own v1.0
// descriptors. It still gets a sensible answer from the current host and the
// four department plugins: Tier 2 when approved (the route still marked as
// needing permission, the permission noted as given), no Tier 2 when refused.
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/policy_engine.h"

namespace escalation::host {
namespace {

using google::protobuf::Message;

const absl::Time kNow = absl::FromUnixSeconds(1795446000);  // Monday 10:00 Eastern.

class OldClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    google::protobuf::FileDescriptorSet set;
    std::ifstream in(FROZEN_DESCRIPTORS, std::ios::binary);
    ASSERT_TRUE(set.ParseFromIstream(&in)) << FROZEN_DESCRIPTORS;
    for (const auto& file : set.file()) ASSERT_NE(pool_.BuildFile(file), nullptr);
    LoadOptions options;
    options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
    auto registry = LoadPluginRegistry(options);
    ASSERT_TRUE(registry.ok()) << registry.status();
    engine_ = std::make_unique<PolicyEngine>(*registry);
  }

  // The old client's request (text format of the v1.0 RouteRequest) over the
  // wire to the current engine; its answer read back as a v1.0 RouteResponse.
  std::unique_ptr<Message> RouteAsOldClient(const std::string& request_text) {
    const auto* old_request = pool_.FindMessageTypeByName("escalation.v1.RouteRequest");
    const auto* old_response = pool_.FindMessageTypeByName("escalation.v1.RouteResponse");
    std::unique_ptr<Message> request(factory_.GetPrototype(old_request)->New());
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(request_text, request.get()));
    v1::RouteRequest live;
    EXPECT_TRUE(live.ParseFromString(request->SerializeAsString()));
    auto answer = engine_->Route(live, kNow);
    EXPECT_TRUE(answer.ok()) << answer.status();
    std::unique_ptr<Message> response(factory_.GetPrototype(old_response)->New());
    EXPECT_TRUE(response->ParseFromString(answer.value_or(v1::RouteResponse()).SerializeAsString()));
    return response;
  }

  static std::string Text(const Message& m) {
    std::string out;
    google::protobuf::TextFormat::Printer printer;
    printer.SetExpandAny(false);
    printer.PrintToString(m, &out);
    return out;
  }
  static const Message& Decision(const Message& response) {
    const auto* field = response.GetDescriptor()->FindFieldByName("decision");
    return response.GetReflection()->GetMessage(response, field);
  }
  static bool Bool(const Message& m, const char* name) {
    return m.GetReflection()->GetBool(m, m.GetDescriptor()->FindFieldByName(name));
  }
  static std::string Enum(const Message& m, const char* name) {
    return m.GetReflection()->GetEnum(m, m.GetDescriptor()->FindFieldByName(name))->name();
  }

  google::protobuf::DescriptorPool pool_;
  google::protobuf::DynamicMessageFactory factory_{&pool_};
  std::unique_ptr<PolicyEngine> engine_;
};

TEST_F(OldClientTest, ApprovedTier2IsATransferMarkedAsNeedingTheGivenPermission) {
  auto response = RouteAsOldClient(
      "call { department: CUSTOMER_SERVICE threats: LEGAL_ACTION supervisor_approved: true }");
  const Message& d = Decision(*response);
  EXPECT_EQ(Enum(d, "action"), "TRANSFER");
  EXPECT_EQ(Enum(d, "destination"), "TIER2");
  // The meaning of requires_supervisor_approval: the route needs permission.
  EXPECT_TRUE(Bool(d, "requires_supervisor_approval"));
  const std::string text = Text(d);
  EXPECT_TRUE(absl::StrContains(text, "A supervisor gave permission to contact Tier 2."));
  EXPECT_FALSE(absl::StrContains(text, "text: \"Reach out to a Supervisor")) << text;
  // The new fields reach the old client only as unknown fields, never as errors.
  EXPECT_FALSE(d.GetReflection()->GetUnknownFields(d).empty());
}

TEST_F(OldClientTest, RefusedTier2IsNoTier2) {
  auto response = RouteAsOldClient(
      "call { department: CUSTOMER_SERVICE threats: LEGAL_ACTION supervisor_approved: false }");
  const Message& d = Decision(*response);
  EXPECT_EQ(Enum(d, "action"), "RESOLVE_HERE");
  EXPECT_FALSE(Bool(d, "requires_supervisor_approval"));
  EXPECT_TRUE(absl::StrContains(Text(d), "did not give permission to contact Tier 2"));
}

TEST_F(OldClientTest, UnknownApprovalAsksForIt) {
  auto response = RouteAsOldClient("call { department: CUSTOMER_SERVICE threats: NEWS_MEDIA }");
  const Message& d = Decision(*response);
  EXPECT_EQ(Enum(d, "destination"), "TIER2");
  EXPECT_TRUE(Bool(d, "requires_supervisor_approval"));
  EXPECT_TRUE(absl::StrContains(Text(d), "text: \"Reach out to a Supervisor"));
}

}  // namespace
}  // namespace escalation::host
