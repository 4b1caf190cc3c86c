// The one fixture of the example department's unit tests: the plugin,
// configured as the server configures it.
#ifndef EXAMPLE_DEPARTMENT_TESTS_FIXTURE_H_
#define EXAMPLE_DEPARTMENT_TESTS_FIXTURE_H_

#include "escalation/sdk/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "plugin.h"

namespace example {

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(plugin_.load_status().ok()) << plugin_.load_status();
    google::protobuf::Struct config;
    (*config.mutable_fields())["refuses_information_script"].set_string_value(
        "[customer name] I understand your concern.");
    ASSERT_TRUE(plugin_.Configure(config).ok());
  }

  v1::PluginRouteResponse Route(const v1::CallFacts& call) {
    auto response = sdk::testing::RouteAt(plugin_, call, absl::UnixEpoch());
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(v1::PluginRouteResponse());
  }
  v1::PluginValidateResponse Validate(const v1::Task& task) {
    auto response = sdk::testing::ValidateAt(plugin_, task, absl::UnixEpoch());
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(v1::PluginValidateResponse());
  }

  ExampleDepartment plugin_;
};

}  // namespace example

#endif  // EXAMPLE_DEPARTMENT_TESTS_FIXTURE_H_
