#include "server/logging/logger.h"

#include <cstdio>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "server/observability/call_observer.h"
#include "server/logging/json.h"

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
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("log level \"loud\" is not one of debug, info, warning, error"));
}

int CountOf(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(LoggerTest, PluginFailureLinesAreThrottledAndTheSuppressedOnesCounted) {
  std::FILE* out = std::tmpfile();
  Logger logger(out);
  CallObserver observer(&logger, nullptr, nullptr);
  const absl::Status failure = absl::InternalError("plugin thrower threw: boom");
  for (int i = 0; i < 200; ++i) {
    observer.FinishRoute(observer.Begin(), v1::RouteRequest(), failure, nullptr);
  }
  const std::string flood = ReadAll(out);
  EXPECT_EQ(CountOf(flood, "threw: boom"), 10) << flood;

  absl::SleepFor(absl::Milliseconds(1100));  // The next one-second window.
  CallObserver::Origin origin;
  origin.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  observer.FinishRoute(observer.Begin(origin), v1::RouteRequest(), failure, nullptr);
  const std::string text = ReadAll(out);
  std::fclose(out);
  EXPECT_THAT(text, HasSubstr(R"("msg":"plugin failures: 190 more log lines suppressed")"));
  EXPECT_THAT(text, HasSubstr(R"("suppressed":190)"));
  EXPECT_EQ(CountOf(text, "threw: boom"), 11);
  EXPECT_THAT(text, HasSubstr(R"("trace_id":"4bf92f3577b34da6a3ce929d0e0e4736")"));
}

TEST(LoggerTest, StringsThatAreNotUtf8StillMakeValidJson) {
  EXPECT_EQ(JsonQuote("ok \"é\"\n"), "\"ok \\\"é\\\"\\n\"");
  EXPECT_EQ(JsonQuote(std::string("a\xff\xfez")), "\"a\xEF\xBF\xBD\xEF\xBF\xBDz\"");
  std::FILE* out = std::tmpfile();
  Logger logger(out);
  logger.Error("plugin_failure", std::string("bad \xc3\x28 bytes"), {StrField("x", "\x80")});
  const std::string text = ReadAll(out);
  std::fclose(out);
  google::protobuf::Struct line = ParseJson(text.substr(0, text.size() - 1));
  EXPECT_EQ(line.fields().at("msg").string_value(), "bad \xEF\xBF\xBD( bytes");
}

}  // namespace
}  // namespace escalation::observability
