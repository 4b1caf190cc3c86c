// Holds the policy engine with the four department plugins to the answers
// recorded in the answer corpus, in process and in worker processes: any
// answer that changed fails, showing the request and what differs
// (tests/corpus/README.md says how to re-record after an intended change).
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "server/loader/plugin_loader.h"
#include "tests/corpus/answer_corpus.h"
#include "tests/support/plugin_calls.h"

namespace escalation::host {

// Names the mode in the test's output.
void PrintTo(Isolation isolation, std::ostream* out) { *out << test::IsolationName(isolation); }

}  // namespace escalation::host

namespace escalation::corpus {
namespace {

constexpr int kDifferencesShown = 5;

const std::vector<AnswerRecord>& Corpus() {
  static const auto* corpus = new absl::StatusOr<std::vector<AnswerRecord>>(
      ReadCorpus(ESCALATION_ANSWER_CORPUS));
  if (!corpus->ok()) {
    ADD_FAILURE() << corpus->status();
    static const auto* empty = new std::vector<AnswerRecord>();
    return *empty;
  }
  return **corpus;
}

class AnswerCorpusTest : public ::testing::TestWithParam<host::Isolation> {};

TEST_P(AnswerCorpusTest, EveryAnswerIsAsRecorded) {
  const std::vector<AnswerRecord>& corpus = Corpus();
  ASSERT_FALSE(corpus.empty());
  absl::StatusOr<std::unique_ptr<host::PolicyEngine>> engine =
      DepartmentEngine(ESCALATION_PLUGIN_DIR, ESCALATION_PLUGIN_WORKER_BINARY, GetParam());
  ASSERT_TRUE(engine.ok()) << engine.status();

  const absl::Time start = absl::Now();
  std::vector<std::string> differences;
  int differing = 0;
  for (const AnswerRecord& expected : corpus) {
    absl::StatusOr<AnswerRecord> actual = Answer(**engine, expected);
    ASSERT_TRUE(actual.ok()) << actual.status();
    const std::string difference = Difference(expected, *actual);
    if (difference.empty()) continue;
    ++differing;
    if (differences.size() < kDifferencesShown) differences.push_back(difference);
  }
  std::printf("%zu answers replayed (%s) in %s\n", corpus.size(),
              test::IsolationName(GetParam()).c_str(),
              absl::FormatDuration(absl::Now() - start).c_str());

  for (size_t i = 0; i < differences.size(); ++i) {
    ADD_FAILURE() << "difference " << i + 1 << " of " << differing << ":\n" << differences[i];
  }
  EXPECT_EQ(differing, 0)
      << differing << " of " << corpus.size()
      << " answers differ from the corpus. If every change is intended (an issue asks for it),"
         " re-record it from the top of the source tree with\n  "
      << kRecordCommand << "\nand say in the commit which answers changed and why.";
}

INSTANTIATE_TEST_SUITE_P(Isolations, AnswerCorpusTest,
                         ::testing::Values(host::Isolation::kInProcess, host::Isolation::kProcess),
                         [](const auto& info) { return test::IsolationName(info.param); });

}  // namespace
}  // namespace escalation::corpus
