#include "tools/escalationctl/request_flags.h"

#include <optional>
#include <string>

#include "escalation/v1/service.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/text_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalationctl {
namespace {

namespace v1 = ::escalation::v1;

absl::Status ApplyAll(const RequestFlags& flags, const std::vector<Flag>& list,
                      google::protobuf::Message* request) {
  for (const Flag& flag : list) {
    if (absl::Status s = flags.Apply(flag, request); !s.ok()) return s;
  }
  return absl::OkStatus();
}

template <typename M>
M FromText(const std::string& text) {
  M message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

TEST(RequestFlagsTest, BuildsARouteRequestFromFlags) {
  v1::RouteRequest request;
  ASSERT_TRUE(ApplyAll(RequestFlags::ForRoute(),
                       {{"department", "customer-service"},
                        {"reason", "cancel_contract,SUPERVISOR_REQUEST"},
                        {"reason", "BILLING_INQUIRY"},
                        {"threats", "LEGAL_ACTION"},
                        {"supervisor-available", std::nullopt},
                        {"no-bpo-agent", std::nullopt},
                        {"call-ended", "false"},
                        {"customer-name", "Ada"},
                        {"queue-wait", "3m1s"},
                        {"servicebench-status", "DUNNING_PENDING_CANCEL"},
                        {"extension", "priority=3"},
                        {"extension", "note=not json"},
                        {"at", "2026-11-23T10:00:00-05:00"}},
                       &request)
                  .ok());
  const auto expected = FromText<v1::RouteRequest>(R"pb(
    call {
      department: CUSTOMER_SERVICE
      reasons: [ CANCEL_CONTRACT, SUPERVISOR_REQUEST, BILLING_INQUIRY ]
      threats: LEGAL_ACTION
      supervisor_available: true
      bpo_agent: false
      call_ended: false
      customer_name: "Ada"
      live_transfer_queue_wait { seconds: 181 }
      servicebench_contract_status: DUNNING_PENDING_CANCEL
      extensions {
        fields { key: "priority" value { number_value: 3 } }
        fields { key: "note" value { string_value: "not json" } }
      }
    }
    evaluation_time { seconds: 1795446000 }
  )pb");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(request, expected))
      << request.DebugString();
}

TEST(RequestFlagsTest, BuildsAValidateRequestFromFlags) {
  v1::ValidateTaskRequest request;
  ASSERT_TRUE(ApplyAll(RequestFlags::ForValidate(),
                       {{"kind", "T2_TASK"},
                        {"resolution-reason", "Created T3 for Follow Up"},
                        {"resolution-reason", "None"},
                        {"category", "Membership Services"},
                        {"created-at", "2026-11-23T15:00:00Z"},
                        {"field", "Priority=\"High\""}},
                       &request)
                  .ok());
  EXPECT_EQ(request.task().kind(), v1::T2_TASK);
  ASSERT_EQ(request.task().resolution_reasons_size(), 2);
  EXPECT_EQ(request.task().resolution_reasons(1), "None");
  EXPECT_EQ(request.task().created_at().seconds(), 1795446000);
  EXPECT_EQ(request.task().fields().fields().at("Priority").string_value(), "High");
}

TEST(RequestFlagsTest, RejectsBadValuesNamingTheFlag) {
  const RequestFlags flags = RequestFlags::ForRoute();
  v1::RouteRequest request;
  absl::Status status = flags.Apply({"reason", "CANCEL,NOPE"}, &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("--reason: unknown value 'CANCEL'"), std::string::npos)
      << status;
  EXPECT_NE(status.message().find("CANCEL_CONTRACT"), std::string::npos);  // The choices.
  const struct {
    std::string flag;
    std::optional<std::string> value;
    std::string error;
  } refused[] = {
      {"department", "DEPARTMENT_UNSPECIFIED",
       "--department: unknown value 'DEPARTMENT_UNSPECIFIED'; one of: "},
      {"queue-wait", "soon", "--queue-wait: expected a duration such as 181s or 3m1s, got 'soon'"},
      {"at", "yesterday", "--at: expected an RFC 3339 time such as 2026-11-23T15:00:00Z, "
                          "got 'yesterday'"},
      {"supervisor-available", "maybe",
       "--supervisor-available: expected true or false, got 'maybe'"},
      {"no-site", std::nullopt, "--no-site: unknown flag"},  // --site takes a value.
      {"extension", "=1", "--extension: expected KEY=VALUE, got '=1'"},
      {"department", std::nullopt, "--department: needs a value"},
  };
  for (const auto& [flag, value, error] : refused) {
    status = flags.Apply({flag, value}, &request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << flag;
    EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr(error)) << flag;
  }
  EXPECT_EQ(flags.Apply({"colour", "red"}, &request).message(), "--colour: unknown flag");
}

// What ListPlugins says of a plugin that declares one fact of each type.
v1::ListPluginsResponse DeclaringPlugins() {
  return FromText<v1::ListPluginsResponse>(R"pb(
    plugins {
      manifest {
        name: "telesales"
        extension_facts { name: "sears_warranty_conversion" type: EXTENSION_FACT_TYPE_BOOL
                          meaning: "The customer asks to convert a Sears Warranty" }
        extension_facts { name: "contract_age_days" type: EXTENSION_FACT_TYPE_NUMBER }
        extension_facts { name: "plan_code" type: EXTENSION_FACT_TYPE_STRING }
      }
    }
  )pb");
}

TEST(RequestFlagsTest, ConvertsExtensionsByTheDeclaredType) {
  RequestFlags flags = RequestFlags::ForRoute();
  EXPECT_TRUE(flags.SetsExtensions("extension"));
  EXPECT_FALSE(flags.SetsExtensions("site"));
  EXPECT_FALSE(RequestFlags::ForValidate().SetsExtensions("field"));
  flags.DeclareExtensionFacts(DeclaringPlugins());
  v1::RouteRequest request;
  ASSERT_TRUE(ApplyAll(flags,
                       {{"extension", "sears_warranty_conversion=yes"},
                        {"extension", "contract_age_days=45"},
                        {"extension", "plan_code=123"},
                        {"extension", "undeclared=true"}},
                       &request)
                  .ok());
  const auto expected = FromText<v1::RouteRequest>(R"pb(
    call {
      extensions {
        fields { key: "sears_warranty_conversion" value { bool_value: true } }
        fields { key: "contract_age_days" value { number_value: 45 } }
        fields { key: "plan_code" value { string_value: "123" } }
        fields { key: "undeclared" value { bool_value: true } }
      }
    }
  )pb");
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(request, expected))
      << request.DebugString();
}

TEST(RequestFlagsTest, RefusesAnExtensionThatDoesNotConvertNamingItsType) {
  RequestFlags flags = RequestFlags::ForRoute();
  flags.DeclareExtensionFacts(DeclaringPlugins());
  v1::RouteRequest request;
  EXPECT_EQ(flags.Apply({"extension", "sears_warranty_conversion=maybe"}, &request).message(),
            "--extension: plugin telesales declares extension fact 'sears_warranty_conversion' "
            "a bool (The customer asks to convert a Sears Warranty): expected true or false, "
            "got 'maybe'");
  EXPECT_THAT(std::string(flags.Apply({"extension", "contract_age_days=soon"}, &request).message()),
              ::testing::HasSubstr("'contract_age_days' a number: expected a number, got 'soon'"));
  const absl::Status infinite = flags.Apply({"extension", "contract_age_days=inf"}, &request);
  EXPECT_EQ(infinite.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(infinite.message()),
              ::testing::HasSubstr("--extension: plugin telesales declares extension fact "
                                   "'contract_age_days' a number"));
  EXPECT_THAT(std::string(infinite.message()),
              ::testing::HasSubstr("expected a number, got 'inf'"));
}

TEST(RequestFlagsTest, KnowsWhichFlagsTakeValues) {
  const RequestFlags flags = RequestFlags::ForRoute();
  EXPECT_TRUE(flags.TakesValue("site"));
  EXPECT_TRUE(flags.TakesValue("at"));
  EXPECT_FALSE(flags.TakesValue("supervisor-approved"));
  EXPECT_TRUE(flags.Knows("no-supervisor-approved"));
  EXPECT_FALSE(flags.Knows("kind"));  // A task field, not a call fact.
  EXPECT_TRUE(RequestFlags::ForValidate().Knows("kind"));
  EXPECT_NE(flags.Help().find("--reason"), std::string::npos);
}

}  // namespace
}  // namespace escalationctl
