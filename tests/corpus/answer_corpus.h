// The answer corpus: requests with the policy engine's recorded answers, kept
// so a change to the plugins or the host can be held to today's answers
// (tests/corpus/README.md).
#ifndef ESCALATION_TESTS_CORPUS_ANSWER_CORPUS_H_
#define ESCALATION_TESTS_CORPUS_ANSWER_CORPUS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/engine/policy_engine.h"
#include "server/loader/plugin_loader.h"
#include "tests/corpus/answer_corpus.pb.h"

namespace escalation::corpus {

// What re-records the corpus from the build in ./build, run at the top of
// the source tree.
inline constexpr char kRecordCommand[] = "cmake --build build --target record-answer-corpus";

// The instant given to the engine as "now". Every recorded request carries
// its own evaluation_time, so this is only a second line of defence against
// answers that follow the clock.
inline absl::Time FixedNow() { return absl::FromUnixSeconds(1795446000); }

// `message` serialized with maps in key order, so equal messages give equal
// bytes.
std::string SerializeDeterministically(const google::protobuf::Message& message);

// An empty request of `kind`'s type (RouteRequest, ValidateTaskRequest);
// nullptr for KIND_UNSPECIFIED.
std::unique_ptr<google::protobuf::Message> NewRequest(AnswerRecord::Kind kind);

// Reads every record of a corpus file (a gzip stream of length-delimited
// AnswerRecords). Fails naming the file and the record that cannot be read.
absl::StatusOr<std::vector<AnswerRecord>> ReadCorpus(const std::string& path);

// Writes `records` to `path` as ReadCorpus reads them.
absl::Status WriteCorpus(const std::string& path, const std::vector<AnswerRecord>& records);

// A policy engine over the four department plugins of `plugin_dir`, run as
// `isolation` says (WORKER_BINARY runs them in worker processes), with a call
// timeout long enough that a loaded machine does not turn an answer into
// DEADLINE_EXCEEDED. Fails unless exactly the four department plugins load.
absl::StatusOr<std::unique_ptr<host::PolicyEngine>> DepartmentEngine(
    const std::string& plugin_dir, const std::string& worker_binary, host::Isolation isolation);

// `question` (its kind, origin and request) with `engine`'s answer filled in.
// A request that does not parse is an error of the corpus, not an answer.
absl::StatusOr<AnswerRecord> Answer(const host::PolicyEngine& engine,
                                    const AnswerRecord& question);

// "" when `actual` answers as `expected` does; otherwise, for a reader: the
// origin, the request in text format and what differs (response fields, or
// the error's code and message).
std::string Difference(const AnswerRecord& expected, const AnswerRecord& actual);

// Counts of records by kind and outcome, one "kind outcome count" line each
// ("route decided 8123", "validate_task INVALID_ARGUMENT 12").
std::string Tally(const std::vector<AnswerRecord>& records);

}  // namespace escalation::corpus

#endif  // ESCALATION_TESTS_CORPUS_ANSWER_CORPUS_H_
