// The requests of the answer corpus, generated deterministically: every
// request of the policy case files, then mutations of them at the message
// level (reasons, threats, booleans, times, departments, task fields) and a
// few at the byte level, so most still get a decision and some are refused.
#ifndef ESCALATION_TESTS_CORPUS_CORPUS_REQUESTS_H_
#define ESCALATION_TESTS_CORPUS_CORPUS_REQUESTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/corpus/answer_corpus.pb.h"

namespace escalation::corpus {

// A case without an evaluation_time is given this one (a Monday, 10:00 in
// New York), so its answer does not follow the clock.
inline constexpr int64_t kDefaultEvaluationSeconds = 1795446000;  // 2026-11-23T15:00:00Z

// One question (kind, origin, request; no answer) per case of every case file
// under `case_dirs`, in the order the case files and their cases come.
// Fails naming a file that cannot be read.
absl::StatusOr<std::vector<AnswerRecord>> CaseRequests(const std::vector<std::string>& case_dirs);

// `count` questions of `kind`, each a mutation of the next of `seeds` of that
// kind in turn, no two alike and none the same as a seed; the same seeds and
// `random_seed` give the same questions.
std::vector<AnswerRecord> Mutations(const std::vector<AnswerRecord>& seeds,
                                    AnswerRecord::Kind kind, int count, uint32_t random_seed);

}  // namespace escalation::corpus

#endif  // ESCALATION_TESTS_CORPUS_CORPUS_REQUESTS_H_
