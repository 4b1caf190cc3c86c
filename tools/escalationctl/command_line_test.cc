#include "tools/escalationctl/command_line.h"

#include "gtest/gtest.h"

namespace escalationctl {
namespace {

bool TakesValueExceptBooleans(absl::string_view, absl::string_view name) {
  return name != "json" && name != "supervisor-available";
}

TEST(CommandLineTest, SplitsCommandFlagsAndValues) {
  auto line = ParseCommandLine(
      {"--server", "h:1", "route", "--Queue_Wait=4m", "--supervisor-available",
       "--reason", "CANCEL_CONTRACT", "--json"},
      TakesValueExceptBooleans);
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->command, "route");
  ASSERT_EQ(line->flags.size(), 5u);
  EXPECT_EQ(line->flags[0].name, "server");
  EXPECT_EQ(line->flags[0].value, "h:1");
  EXPECT_EQ(line->flags[1].name, "queue-wait");
  EXPECT_EQ(line->flags[1].value, "4m");
  EXPECT_EQ(line->flags[2].name, "supervisor-available");
  EXPECT_FALSE(line->flags[2].value.has_value());
  EXPECT_EQ(line->flags[3].value, "CANCEL_CONTRACT");
  EXPECT_FALSE(line->flags[4].value.has_value());
  EXPECT_TRUE(line->positional.empty());
}

TEST(CommandLineTest, DashIsAPositionalWord) {
  auto line = ParseCommandLine({"route", "-", "--", "--x"}, TakesValueExceptBooleans);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->positional, (std::vector<std::string>{"-", "--x"}));
}

TEST(CommandLineTest, MissingValueIsAnError) {
  auto line = ParseCommandLine({"route", "--site"}, TakesValueExceptBooleans);
  ASSERT_FALSE(line.ok());
  EXPECT_EQ(line.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(line.status().message(), "flag --site needs a value");
}

}  // namespace
}  // namespace escalationctl
