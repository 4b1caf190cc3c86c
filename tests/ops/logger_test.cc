#include "server/observability/logger.h"

#include <cstdio>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace escalation::observability {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ReadAll(std::FILE* file) {
  std::rewind(file);
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) out.append(buffer, n);
  return out;
}

// Parses `line` as JSON the way any log shipper would.
google::protobuf::Struct ParseJson(const std::string& line) {
  google::protobuf::Struct parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
  return parsed;
}

TEST(LoggerTest, WritesOneJsonObjectPerLineWithTheCommonKeysFirst) {
  std::FILE* out = std::tmpfile();
  Logger logger(out);
  logger.Info("plugin_loaded", "loaded plugin cs 1.0",
              {StrField("plugin", "cs"), IntField("rules", 12), BoolField("ok", true)});
  logger.Error("plugin_failure", "a \"quoted\"\nmessage\x01", {});
  const std::string text = ReadAll(out);
  std::fclose(out);

  const size_t newline = text.find('\n');
  ASSERT_NE(newline, std::string::npos);
  const std::string first = text.substr(0, newline);
  const std::string second = text.substr(newline + 1, text.size() - newline - 2);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_THAT(first, StartsWith("{\"time\":\""));
  EXPECT_THAT(first, HasSubstr("\"level\":\"info\",\"event\":\"plugin_loaded\""));

  google::protobuf::Struct loaded = ParseJson(first);
  EXPECT_EQ(loaded.fields().at("msg").string_value(), "loaded plugin cs 1.0");
  EXPECT_EQ(loaded.fields().at("plugin").string_value(), "cs");
  EXPECT_EQ(loaded.fields().at("rules").number_value(), 12);
  EXPECT_TRUE(loaded.fields().at("ok").bool_value());

  google::protobuf::Struct failure = ParseJson(second);
  EXPECT_EQ(failure.fields().at("level").string_value(), "error");
  EXPECT_EQ(failure.fields().at("msg").string_value(), "a \"quoted\"\nmessage\x01");
}

TEST(LoggerTest, SkipsLinesBelowTheMinimumLevel) {
  std::FILE* out = std::tmpfile();
  Logger logger(out, LogLevel::kWarning);
  logger.Info("ignored", "not written");
  logger.Log(LogLevel::kDebug, "ignored", "not written");
  logger.Warning("kept", "written");
  const std::string text = ReadAll(out);
  std::fclose(out);
  EXPECT_THAT(text, HasSubstr("\"event\":\"kept\""));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("ignored")));
}

TEST(LoggerTest, ParsesLevelNamesAndNamesTheAcceptedOnes) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("INFO"), LogLevel::kInfo);
  EXPECT_EQ(*ParseLogLevel("warn"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::kError);
  auto bad = ParseLogLevel("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("\"loud\" is not one of debug, info"));
}

}  // namespace
}  // namespace escalation::observability
