#include "tests/corpus/answer_corpus.h"

#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <set>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/gzip_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace escalation::corpus {

using google::protobuf::Message;

std::string SerializeDeterministically(const Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream string_stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&string_stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

std::unique_ptr<Message> NewRequest(AnswerRecord::Kind kind) {
  if (kind == AnswerRecord::ROUTE) return std::make_unique<v1::RouteRequest>();
  if (kind == AnswerRecord::VALIDATE_TASK) return std::make_unique<v1::ValidateTaskRequest>();
  return nullptr;
}

namespace {

std::unique_ptr<Message> NewResponse(AnswerRecord::Kind kind) {
  if (kind == AnswerRecord::ROUTE) return std::make_unique<v1::RouteResponse>();
  return std::make_unique<v1::ValidateTaskResponse>();
}

std::string AsText(const Message& message) {
  std::string text;
  google::protobuf::TextFormat::Printer printer;
  printer.SetExpandAny(true);
  printer.PrintToString(message, &text);
  return text;
}

bool IsError(const AnswerRecord& record) { return record.error_code() != 0; }

std::string OutcomeText(const AnswerRecord& record) {
  if (IsError(record)) {
    return absl::StrCat("error ",
                        absl::StatusCodeToString(static_cast<absl::StatusCode>(record.error_code())),
                        ": ", record.error_message(), "\n");
  }
  std::unique_ptr<Message> response = NewResponse(record.kind());
  response->ParseFromString(record.response());
  return absl::StrCat("response:\n", AsText(*response));
}

}  // namespace

absl::StatusOr<std::vector<AnswerRecord>> ReadCorpus(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(absl::StrCat("cannot open corpus ", path));
  google::protobuf::io::FileInputStream file(fd);
  file.SetCloseOnDelete(true);
  google::protobuf::io::GzipInputStream gzip(&file, google::protobuf::io::GzipInputStream::GZIP);
  std::vector<AnswerRecord> records;
  for (;;) {
    AnswerRecord record;
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&record, &gzip, &clean_eof)) {
      if (clean_eof) break;
      return absl::DataLossError(
          absl::StrCat("corpus ", path, ": record ", records.size() + 1, " cannot be read"));
    }
    records.push_back(std::move(record));
  }
  if (records.empty()) return absl::DataLossError(absl::StrCat("corpus ", path, " is empty"));
  return records;
}

absl::Status WriteCorpus(const std::string& path, const std::vector<AnswerRecord>& records) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat("cannot write corpus ", path));
  google::protobuf::io::FileOutputStream file(fd);  // Close() below closes fd.
  google::protobuf::io::GzipOutputStream::Options options;
  options.format = google::protobuf::io::GzipOutputStream::GZIP;
  options.compression_level = 9;
  google::protobuf::io::GzipOutputStream gzip(&file, options);
  for (const AnswerRecord& record : records) {
    if (!google::protobuf::util::SerializeDelimitedToZeroCopyStream(record, &gzip)) {
      return absl::DataLossError(absl::StrCat("cannot write corpus ", path));
    }
  }
  if (!gzip.Close() || !file.Close()) {
    return absl::DataLossError(absl::StrCat("cannot finish corpus ", path));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<host::PolicyEngine>> DepartmentEngine(
    const std::string& plugin_dir, const std::string& worker_binary, host::Isolation isolation) {
  host::LoadOptions options;
  options.plugin_dirs = {plugin_dir};
  options.isolation = isolation;
  options.worker_binary = worker_binary;
  options.limits.timeout = absl::Seconds(30);
  absl::StatusOr<std::shared_ptr<const host::PluginRegistry>> registry =
      host::LoadPluginRegistry(options);
  if (!registry.ok()) return registry.status();
  std::set<std::string> names;
  for (const auto& plugin : (*registry)->plugins()) names.insert(plugin->name());
  const std::set<std::string> departments = {"customer_service", "leadership_desk",
                                             "membership_services", "telesales_retention"};
  if (names != departments) {
    return absl::FailedPreconditionError(
        absl::StrCat(plugin_dir, " holds plugins ", absl::StrJoin(names, ", "), "; want ",
                     absl::StrJoin(departments, ", ")));
  }
  return std::make_unique<host::PolicyEngine>(*std::move(registry));
}

absl::StatusOr<AnswerRecord> Answer(const host::PolicyEngine& engine,
                                    const AnswerRecord& question) {
  AnswerRecord answer;
  answer.set_kind(question.kind());
  answer.set_origin(question.origin());
  answer.set_request(question.request());
  std::unique_ptr<Message> request = NewRequest(question.kind());
  if (request == nullptr || !request->ParseFromString(question.request())) {
    return absl::DataLossError(
        absl::StrCat("the request of \"", question.origin(), "\" does not parse"));
  }
  absl::Status status;
  if (question.kind() == AnswerRecord::ROUTE) {
    auto response = engine.Route(static_cast<const v1::RouteRequest&>(*request), FixedNow());
    if (response.ok()) answer.set_response(SerializeDeterministically(*response));
    status = response.status();
  } else {
    auto response =
        engine.ValidateTask(static_cast<const v1::ValidateTaskRequest&>(*request), FixedNow());
    if (response.ok()) answer.set_response(SerializeDeterministically(*response));
    status = response.status();
  }
  if (!status.ok()) {
    answer.set_error_code(static_cast<int>(status.code()));
    answer.set_error_message(std::string(status.message()));
  }
  return answer;
}

std::string Difference(const AnswerRecord& expected, const AnswerRecord& actual) {
  std::string report;
  if (IsError(expected) || IsError(actual)) {
    if (expected.error_code() == actual.error_code() &&
        expected.error_message() == actual.error_message() &&
        expected.response() == actual.response()) {
      return "";
    }
    report = absl::StrCat("expected ", OutcomeText(expected), "actual ", OutcomeText(actual));
  } else {
    std::unique_ptr<Message> want = NewResponse(expected.kind());
    std::unique_ptr<Message> got = NewResponse(expected.kind());
    want->ParseFromString(expected.response());
    got->ParseFromString(actual.response());
    {
      // The reporter writes `report` out when the differencer goes.
      google::protobuf::util::MessageDifferencer differencer;
      differencer.ReportDifferencesToString(&report);
      if (differencer.Compare(*want, *got)) return "";
    }
    report = absl::StrCat("response differs (expected -> actual):\n", report);
  }
  std::unique_ptr<Message> request = NewRequest(expected.kind());
  request->ParseFromString(expected.request());
  return absl::StrCat("request from ", expected.origin(), ":\n", AsText(*request), report);
}

std::string Tally(const std::vector<AnswerRecord>& records) {
  std::map<std::string, int> counts;
  for (const AnswerRecord& record : records) {
    const std::string kind = record.kind() == AnswerRecord::ROUTE ? "route" : "validate_task";
    const std::string outcome =
        IsError(record)
            ? absl::StatusCodeToString(static_cast<absl::StatusCode>(record.error_code()))
            : "decided";
    ++counts[kind + " " + outcome];
  }
  std::string tally;
  for (const auto& [what, count] : counts) absl::StrAppend(&tally, what, " ", count, "\n");
  return tally;
}

}  // namespace escalation::corpus
