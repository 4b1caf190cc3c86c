#include "server/observability/decision_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "escalation/v1/service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/loading/sha256.h"

namespace escalation::observability {
namespace {

using ::testing::HasSubstr;
using google::protobuf::Struct;
using google::protobuf::Value;

v1::RouteRequest SampleRequest(const std::string& call_id = "call-7") {
  v1::RouteRequest request;
  request.mutable_call()->set_call_id(call_id);
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_call()->add_reasons(v1::CANCEL_CONTRACT);
  request.mutable_call()->set_customer_name("Ada Lovelace");
  request.mutable_evaluation_time()->set_seconds(1795446000);  // 2026-11-23T15:00:00Z
  return request;
}

v1::RouteResponse SampleResponse() {
  v1::RouteResponse response;
  v1::Decision* decision = response.mutable_decision();
  decision->set_action(v1::TRANSFER);
  decision->set_destination(v1::Decision::RETENTION);
  decision->set_requires_supervisor_approval(true);
  v1::RequiredRecord* record = decision->add_required_records();
  record->set_system(v1::ZOHO);
  record->set_kind(v1::T2_TASK);
  v1::MatchedRule* rule = decision->add_matched_rules();
  rule->set_rule_id("cs.retention.cancel");
  rule->set_plugin("customer_service");
  rule->set_plugin_version("1.2.0");
  *response.mutable_evaluation_time() = SampleRequest().evaluation_time();
  return response;
}

DecisionRecord RouteRecord(const std::string& id, const v1::RouteRequest& request) {
  DecisionRecord record;
  record.decision_id = id;
  record.method = "Route";
  record.received = absl::FromUnixSeconds(1795446001);
  record.evaluation_time = absl::FromUnixSeconds(1795446000);
  record.latency = absl::Microseconds(42);
  record.request = std::make_unique<v1::RouteRequest>(request);
  record.response = std::make_unique<v1::RouteResponse>(SampleResponse());
  return record;
}

Struct Parse(const std::string& line) {
  Struct parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &parsed).ok()) << line;
  return parsed;
}

const Value& At(const Struct& s, const std::string& key) { return s.fields().at(key); }

FieldMasks Masks(const std::vector<std::string>& paths, MaskMode mode) {
  auto masks = FieldMasks::Create(paths, mode);
  EXPECT_TRUE(masks.ok()) << masks.status();
  return *masks;
}

TEST(DecisionLineTest, CarriesTheIdTimesRequestOutcomeAndRules) {
  DecisionRecord record = RouteRecord("d1", SampleRequest());
  const Struct line = Parse(FormatDecisionLine(record, FieldMasks()));
  EXPECT_EQ(At(line, "schema").string_value(), "escalation.decision_log/v1");
  EXPECT_EQ(At(line, "decision_id").string_value(), "d1");
  EXPECT_EQ(At(line, "time").string_value(), "2026-11-23T15:00:01Z");
  EXPECT_EQ(At(line, "evaluation_time").string_value(), "2026-11-23T15:00:00Z");
  EXPECT_EQ(At(line, "method").string_value(), "Route");
  EXPECT_EQ(At(line, "call_id").string_value(), "call-7");
  EXPECT_EQ(At(line, "status").string_value(), "OK");
  EXPECT_EQ(At(line, "latency_us").number_value(), 42);
  const Struct& outcome = At(line, "outcome").struct_value();
  EXPECT_EQ(At(outcome, "action").string_value(), "TRANSFER");
  EXPECT_EQ(At(outcome, "destination").string_value(), "RETENTION");
  EXPECT_TRUE(At(outcome, "requires_supervisor_approval").bool_value());
  const Struct& first_record = At(outcome, "records").list_value().values(0).struct_value();
  EXPECT_EQ(At(first_record, "system").string_value(), "ZOHO");
  EXPECT_EQ(At(first_record, "kind").string_value(), "T2_TASK");
  const Struct& rule = At(line, "rules").list_value().values(0).struct_value();
  EXPECT_EQ(At(rule, "rule_id").string_value(), "cs.retention.cancel");
  EXPECT_EQ(At(rule, "plugin").string_value(), "customer_service");
  EXPECT_EQ(At(rule, "plugin_version").string_value(), "1.2.0");
}

TEST(DecisionLineTest, TheRequestInTheLineParsesBackToTheRequestMinusMaskedFields) {
  DecisionRecord record = RouteRecord("d1", SampleRequest());
  const std::string text =
      FormatDecisionLine(record, Masks(FieldMasks::DefaultPaths(), MaskMode::kRemove));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Ada")));
  google::protobuf::util::JsonPrintOptions print;
  std::string request_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(At(Parse(text), "request"),
                                                          &request_json, print)
                  .ok());
  v1::RouteRequest replayed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(request_json, &replayed).ok());
  v1::RouteRequest expected = SampleRequest();
  expected.mutable_call()->clear_customer_name();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(replayed, expected))
      << replayed.DebugString();
}

TEST(DecisionLineTest, HashModeReplacesTheValueWithItsSha256) {
  EXPECT_EQ(host::Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  DecisionRecord record = RouteRecord("d1", SampleRequest());
  const Struct line =
      Parse(FormatDecisionLine(record, Masks({"call.customer_name"}, MaskMode::kHash)));
  const Struct& call = At(At(line, "request").struct_value(), "call").struct_value();
  EXPECT_EQ(At(call, "customer_name").string_value(), "sha256:" + host::Sha256Hex("Ada Lovelace"));
}

TEST(DecisionLineTest, ValidationLinesCarryValidityViolationsAndTaskId) {
  v1::ValidateTaskRequest request;
  request.mutable_task()->set_task_id("T-1");
  request.mutable_task()->set_kind(v1::T2_TASK);
  request.mutable_task()->set_text("private note");
  v1::ValidateTaskResponse response;
  response.set_valid(false);
  v1::Violation* violation = response.add_violations();
  violation->set_rule_id("ms.t2.category");
  violation->set_field("category");
  violation->set_message("set the category");
  violation->set_severity(v1::ERROR);
  DecisionRecord record;
  record.decision_id = "d2";
  record.method = "ValidateTask";
  record.request = std::make_unique<v1::ValidateTaskRequest>(request);
  record.response = std::make_unique<v1::ValidateTaskResponse>(response);
  const Struct line = Parse(FormatDecisionLine(record, Masks({"task.text"}, MaskMode::kRemove)));
  EXPECT_EQ(At(line, "task_id").string_value(), "T-1");
  const Struct& outcome = At(line, "outcome").struct_value();
  EXPECT_FALSE(At(outcome, "valid").bool_value());
  const Struct& v = At(outcome, "violations").list_value().values(0).struct_value();
  EXPECT_EQ(At(v, "rule_id").string_value(), "ms.t2.category");
  EXPECT_EQ(At(v, "field").string_value(), "category");
  EXPECT_EQ(At(v, "severity").string_value(), "ERROR");
  EXPECT_EQ(At(At(line, "request").struct_value(), "task").struct_value().fields().count("text"),
            0u);
}

TEST(DecisionLineTest, AFailedCallHasItsStatusAndNoOutcome) {
  DecisionRecord record = RouteRecord("d3", SampleRequest());
  record.response.reset();
  record.status = absl::InternalError("plugin cs failed in route");
  const Struct line = Parse(FormatDecisionLine(record, FieldMasks()));
  EXPECT_EQ(At(line, "status").string_value(), "INTERNAL");
  EXPECT_EQ(At(line, "error").string_value(), "plugin cs failed in route");
  EXPECT_EQ(line.fields().count("outcome"), 0u);
}

TEST(DecisionLineTest, NamesWhoAskedAndCarriesTheCallersTrace) {
  DecisionRecord record = RouteRecord("d1", SampleRequest());
  record.peer = "ipv4:127.0.0.1:40000";
  record.peer_subject = "CN=dispatch-7,O=Escalation Test";
  record.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const Struct line = Parse(FormatDecisionLine(record, FieldMasks()));
  EXPECT_EQ(At(line, "peer").string_value(), "ipv4:127.0.0.1:40000");
  EXPECT_EQ(At(line, "peer_subject").string_value(), "CN=dispatch-7,O=Escalation Test");
  EXPECT_EQ(At(line, "traceparent").string_value(), record.traceparent);
  EXPECT_EQ(At(line, "trace_id").string_value(), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(DecisionLineTest, OnlyAValidTraceparentIsCarried) {
  EXPECT_EQ(TraceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(TraceIdOf("00-00000000000000000000000000000000-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdOf("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdOf("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), "");
  EXPECT_EQ(TraceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"), "");
  EXPECT_EQ(TraceIdOf("not a trace"), "");
  DecisionRecord record = RouteRecord("d1", SampleRequest());
  record.traceparent = "garbage\"}";
  const Struct line = Parse(FormatDecisionLine(record, FieldMasks()));
  EXPECT_EQ(line.fields().count("traceparent"), 0u);
}

TEST(DecisionLineTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  DecisionRecord record = RouteRecord("d1", SampleRequest());
  record.response.reset();
  record.status = absl::InternalError(std::string("plugin x failed: \xff\xfe bad \xc3"));
  const std::string text = FormatDecisionLine(record, FieldMasks());
  EXPECT_THAT(text, HasSubstr("failed: \xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD\""));
  EXPECT_EQ(At(Parse(text), "error").string_value(),
            "plugin x failed: \xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD");
}

TEST(FieldMasksTest, RefusesPathsThatNameNoStringField) {
  auto unknown = FieldMasks::Create({"call.no_such_field"}, MaskMode::kRemove);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("mask \"call.no_such_field\" names no request field: "
                        "escalation.v1.CallFacts has no field \"no_such_field\""));
  auto not_string = FieldMasks::Create({"call.reasons"}, MaskMode::kHash);
  ASSERT_FALSE(not_string.ok());
  EXPECT_EQ(not_string.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_string.status().message(),
              HasSubstr("mask \"call.reasons\": escalation.v1.CallFacts.reasons is not a string"));
  EXPECT_TRUE(FieldMasks::Create({"call.reasons", "task.text"}, MaskMode::kRemove).ok());
  auto mode = ParseMaskMode("scramble");
  ASSERT_FALSE(mode.ok());
  EXPECT_EQ(mode.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(mode.status().message(), HasSubstr("mask mode \"scramble\" is not remove or hash"));
  auto policy = ParseOverflowPolicy("spill");
  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(policy.status().message(),
              HasSubstr("overflow policy \"spill\" is not drop or block"));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  return lines;
}

TEST(DecisionLogTest, CloseWritesEveryAcceptedRecordToTheFile) {
  const std::string path = ::testing::TempDir() + "/decisions_close.jsonl";
  std::remove(path.c_str());
  DecisionLogOptions options;
  options.path = path;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  constexpr int kRecords = 500;
  for (int i = 0; i < kRecords; ++i) {
    ASSERT_TRUE((*log)->Submit(RouteRecord(std::to_string(i), SampleRequest())));
  }
  (*log)->Close();
  EXPECT_FALSE((*log)->Submit(RouteRecord("late", SampleRequest())));
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  std::set<std::string> ids;
  for (const std::string& line : Lines(text)) {
    ids.insert(At(Parse(line), "decision_id").string_value());
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kRecords));
  EXPECT_EQ((*log)->written(), static_cast<uint64_t>(kRecords));
}

TEST(DecisionLogTest, AnUnwritablePathIsRefusedNamingIt) {
  DecisionLogOptions options;
  options.path = "/nonexistent-dir/decisions.jsonl";
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(log.status().message(),
              HasSubstr("decision log /nonexistent-dir/decisions.jsonl: No such file or directory"));
}

// A FIFO whose reader reads nothing until told to: the writer thread blocks
// on its first line (each line is bigger than the pipe), so the queue fills.
class StalledReader {
 public:
  StalledReader() {
    path_ = ::testing::TempDir() + "/decisions_fifo_" + std::to_string(getpid()) + "_" +
            std::to_string(counter_++);
    unlink(path_.c_str());
    EXPECT_EQ(mkfifo(path_.c_str(), 0600), 0);
    fd_ = open(path_.c_str(), O_RDONLY | O_NONBLOCK);
    EXPECT_GE(fd_, 0);
    fcntl(fd_, F_SETPIPE_SZ, 4096);
  }
  ~StalledReader() {
    if (reader_.joinable()) reader_.join();
    close(fd_);
    unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  // Starts reading everything until the writer closes its end.
  void Drain() {
    reader_ = std::thread([this] {
      fcntl(fd_, F_SETFL, 0);  // Blocking from now on.
      char buffer[65536];
      ssize_t n;
      while ((n = read(fd_, buffer, sizeof(buffer))) > 0) text_.append(buffer, n);
    });
  }
  std::string Finish() {
    reader_.join();
    return text_;
  }

 private:
  static inline int counter_ = 0;
  std::string path_;
  int fd_ = -1;
  std::thread reader_;
  std::string text_;
};

const v1::RouteRequest& BigRequest() {
  static const v1::RouteRequest request = SampleRequest(std::string(10000, 'x'));
  return request;
}

TEST(DecisionLogTest, DropModeDropsAndCountsWhatDoesNotFitAndKeepsWhatItAccepted) {
  StalledReader reader;
  DecisionLogOptions options;
  options.path = reader.path();
  options.queue_capacity = 4;
  options.overflow = OverflowPolicy::kDrop;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  int accepted = 0;
  for (int i = 0; i < 100; ++i) {
    if ((*log)->Submit(RouteRecord(std::to_string(i), BigRequest()))) ++accepted;
  }
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ((*log)->dropped(), 96u);
  EXPECT_EQ((*log)->queue_depth(), 4u);
  reader.Drain();
  (*log)->Close();
  const std::vector<std::string> lines = Lines(reader.Finish());
  ASSERT_EQ(lines.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(At(Parse(lines[i]), "decision_id").string_value(), std::to_string(i));
  }
}

TEST(DecisionLogTest, BlockModeHoldsTheCallerUntilThereIsRoomAndDropsNothing) {
  StalledReader reader;
  DecisionLogOptions options;
  options.path = reader.path();
  options.queue_capacity = 2;
  options.overflow = OverflowPolicy::kBlock;
  auto log = DecisionLog::Open(std::move(options));
  ASSERT_TRUE(log.ok()) << log.status();
  constexpr int kRecords = 20;
  std::atomic<int> returned{0};
  std::thread submitter([&] {
    for (int i = 0; i < kRecords; ++i) {
      EXPECT_TRUE((*log)->Submit(RouteRecord(std::to_string(i), BigRequest())));
      returned.fetch_add(1);
    }
  });
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(returned.load(), 2) << "the third Submit must wait for room";
  reader.Drain();
  submitter.join();
  (*log)->Close();
  const std::vector<std::string> lines = Lines(reader.Finish());
  EXPECT_EQ(lines.size(), static_cast<size_t>(kRecords));
  EXPECT_EQ((*log)->dropped(), 0u);
}

}  // namespace
}  // namespace escalation::observability
