#include "tests/corpus/corpus_requests.h"

#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/timestamp.pb.h"
#include "tests/corpus/answer_corpus.h"
#include "tests/fuzz/mutate.h"
#include "tools/policy_test/case_file.h"

namespace escalation::corpus {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// "customer_service/retention.json: <case name>".
std::string OriginOf(const policy_test::PolicyCase& c) {
  const std::filesystem::path path(c.file);
  return absl::StrCat(path.parent_path().parent_path().filename().string(), "/",
                      path.filename().string(), ": ", c.name);
}

template <typename Request>
std::string WithEvaluationTime(Request request) {
  if (!request.has_evaluation_time()) {
    request.mutable_evaluation_time()->set_seconds(kDefaultEvaluationSeconds);
  }
  return SerializeDeterministically(request);
}

// The request's facts: RouteRequest.call or ValidateTaskRequest.task.
Message* FactsOf(Message* request) {
  const FieldDescriptor* field = request->GetDescriptor()->FindFieldByNumber(1);
  return request->GetReflection()->MutableMessage(request, field);
}

// The values the seeds give each string and message field, so mutations use
// values the plugins know (a time or duration is made up instead).
struct Pools {
  std::map<const FieldDescriptor*, std::vector<std::string>> values;

  void Add(const Message& facts) {
    const Reflection* reflection = facts.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    reflection->ListFields(facts, &fields);
    for (const FieldDescriptor* field : fields) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        if (field->is_repeated()) {
          for (int i = 0; i < reflection->FieldSize(facts, field); ++i) {
            values[field].push_back(reflection->GetRepeatedString(facts, field, i));
          }
        } else {
          values[field].push_back(reflection->GetString(facts, field));
        }
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated()) {
        values[field].push_back(SerializeDeterministically(reflection->GetMessage(facts, field)));
      }
    }
  }
};

class Mutator {
 public:
  Mutator(const Pools& pools, uint32_t random_seed) : pools_(pools), random_(random_seed) {}

  // Edits `request` in 1 to 3 ways; returns what it edited.
  std::vector<std::string> Edit(Message* request) {
    std::vector<std::string> edited;
    const int edits = 1 + Pick(3);
    Message* facts = FactsOf(request);
    const Descriptor* descriptor = facts->GetDescriptor();
    for (int e = 0; e < edits; ++e) {
      if (Pick(6) == 0) {
        ShiftEvaluationTime(request);
        edited.push_back("evaluation_time");
        continue;
      }
      const FieldDescriptor* field = descriptor->field(Pick(descriptor->field_count()));
      EditField(field, facts);
      edited.push_back(field->name());
    }
    return edited;
  }

  std::mt19937& random() { return random_; }
  int Pick(int n) { return static_cast<int>(random_() % n); }

 private:
  // Within a week of the seed's instant, to the minute, so business hours,
  // closed days and callback windows all come up.
  void ShiftEvaluationTime(Message* request) {
    auto* time = static_cast<google::protobuf::Timestamp*>(request->GetReflection()->MutableMessage(
        request, request->GetDescriptor()->FindFieldByName("evaluation_time")));
    time->set_seconds(time->seconds() + 60 * (Pick(14 * 24 * 60) - 7 * 24 * 60));
  }

  void EditField(const FieldDescriptor* field, Message* facts) {
    const Reflection* reflection = facts->GetReflection();
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(*facts, field);
      switch (size == 0 ? 0 : Pick(3)) {
        case 0: break;  // Add one.
        case 1:         // Remove one.
          reflection->SwapElements(facts, field, Pick(size), size - 1);
          reflection->RemoveLast(facts, field);
          return;
        case 2: reflection->ClearField(facts, field); break;  // Replace all by one.
      }
    } else if (field->has_presence() && reflection->HasField(*facts, field) && Pick(4) == 0) {
      reflection->ClearField(facts, field);
      return;
    }
    SetOrAdd(field, facts);
  }

  void SetOrAdd(const FieldDescriptor* field, Message* facts) {
    const Reflection* reflection = facts->GetReflection();
    const bool repeated = field->is_repeated();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_ENUM: {
        // Now and then a number the enum does not have.
        const int number = Pick(20) == 0
                               ? 99
                               : field->enum_type()->value(Pick(field->enum_type()->value_count()))
                                     ->number();
        repeated ? reflection->AddEnumValue(facts, field, number)
                 : reflection->SetEnumValue(facts, field, number);
        return;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        repeated ? reflection->AddBool(facts, field, Pick(2) == 0)
                 : reflection->SetBool(facts, field, Pick(2) == 0);
        return;
      case FieldDescriptor::CPPTYPE_STRING: {
        const auto pool = pools_.values.find(field);
        const std::string value =
            pool == pools_.values.end() || Pick(8) == 0 ? "" : pool->second[Pick(pool->second.size())];
        repeated ? reflection->AddString(facts, field, value)
                 : reflection->SetString(facts, field, value);
        return;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        if (repeated) return;
        Message* value = reflection->MutableMessage(facts, field);
        const std::string& type = field->message_type()->full_name();
        if (type == "google.protobuf.Timestamp") {
          // Within three days either side of the default instant.
          static_cast<google::protobuf::Timestamp*>(value)->set_seconds(
              kDefaultEvaluationSeconds + 60 * (Pick(6 * 24 * 60) - 3 * 24 * 60));
        } else if (type == "google.protobuf.Duration") {
          static_cast<google::protobuf::Duration*>(value)->set_seconds(Pick(2 * 60 * 60));
        } else {
          const auto pool = pools_.values.find(field);
          if (pool == pools_.values.end()) {
            reflection->ClearField(facts, field);
          } else {
            value->ParseFromString(pool->second[Pick(pool->second.size())]);
          }
        }
        return;
      }
      default:
        reflection->ClearField(facts, field);
    }
  }

  const Pools& pools_;
  std::mt19937 random_;
};

}  // namespace

absl::StatusOr<std::vector<AnswerRecord>> CaseRequests(const std::vector<std::string>& case_dirs) {
  std::vector<AnswerRecord> questions;
  for (const std::string& dir : case_dirs) {
    absl::StatusOr<std::vector<std::string>> files = policy_test::FindCaseFiles(dir);
    if (!files.ok()) return files.status();
    for (const std::string& file : *files) {
      absl::StatusOr<std::vector<policy_test::PolicyCase>> cases = policy_test::LoadCaseFile(file);
      if (!cases.ok()) return cases.status();
      for (const policy_test::PolicyCase& c : *cases) {
        AnswerRecord question;
        question.set_origin(OriginOf(c));
        if (c.route.has_value()) {
          question.set_kind(AnswerRecord::ROUTE);
          question.set_request(WithEvaluationTime(*c.route));
        } else {
          question.set_kind(AnswerRecord::VALIDATE_TASK);
          question.set_request(WithEvaluationTime(*c.validate));
        }
        questions.push_back(std::move(question));
      }
    }
  }
  return questions;
}

std::vector<AnswerRecord> Mutations(const std::vector<AnswerRecord>& seeds,
                                    AnswerRecord::Kind kind, int count, uint32_t random_seed) {
  std::vector<const AnswerRecord*> of_kind;
  Pools pools;
  for (const AnswerRecord& seed : seeds) {
    if (seed.kind() != kind) continue;
    of_kind.push_back(&seed);
    std::unique_ptr<Message> request = NewRequest(kind);
    request->ParseFromString(seed.request());
    pools.Add(*FactsOf(request.get()));
  }
  std::vector<AnswerRecord> questions;
  if (of_kind.empty()) return questions;
  // A mutation may give a request already asked (an edit that undoes
  // another); only new ones count.
  std::set<std::string> asked;
  for (const AnswerRecord* seed : of_kind) asked.insert(seed->request());
  Mutator mutator(pools, random_seed);
  for (int i = 0; questions.size() < static_cast<size_t>(count); ++i) {
    const AnswerRecord& seed = *of_kind[i % of_kind.size()];
    std::unique_ptr<Message> request = NewRequest(kind);
    AnswerRecord question;
    question.set_kind(kind);
    // One in twenty at the byte level (the fuzz targets' edits), kept only
    // when it still parses and keeps its evaluation instant.
    if (mutator.Pick(20) == 0) {
      std::string bytes = seed.request();
      fuzz::Mutate(mutator.random(), 1 + mutator.Pick(3), &bytes);
      google::protobuf::LogSilencer quiet;  // Most edits break a string's UTF-8.
      if (!request->ParseFromString(bytes) ||
          !request->GetReflection()->HasField(
              *request, request->GetDescriptor()->FindFieldByName("evaluation_time"))) {
        continue;
      }
      question.set_origin(absl::StrCat("byte mutation ", i, " of ", seed.origin()));
      question.set_request(bytes);
    } else {
      request->ParseFromString(seed.request());
      const std::vector<std::string> edited = mutator.Edit(request.get());
      question.set_origin(
          absl::StrCat("mutation ", i, " of ", seed.origin(), ": ", absl::StrJoin(edited, ", ")));
      question.set_request(SerializeDeterministically(*request));
    }
    if (asked.insert(question.request()).second) questions.push_back(std::move(question));
  }
  return questions;
}

}  // namespace escalation::corpus
