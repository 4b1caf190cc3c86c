// escalation-answer-corpus: records the answer corpus (tests/corpus/README.md).
//
//   escalation-answer-corpus record OUT PLUGIN_DIR CASES_DIR...
//
// Asks the four department plugins of PLUGIN_DIR, in process, every request
// of the case files under CASES_DIR... and their mutations, and writes each
// request with its answer to OUT. Prints the count of answers by kind and
// outcome. Exit 0 on success, 1 on a failure, 2 on a usage error.
#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_registry.h"
#include "tests/corpus/answer_corpus.h"
#include "tests/corpus/corpus_requests.h"

namespace escalation::corpus {
namespace {

// Mutations of each kind beyond the cases' own requests, and the seed of
// their generator: changing any of these changes every mutated request.
constexpr int kRouteMutations = 10000;
constexpr int kValidateMutations = 10000;
constexpr uint32_t kRouteRandomSeed = 20261123;
constexpr uint32_t kValidateRandomSeed = 20261124;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "escalation-answer-corpus: %s\n", std::string(status.message()).c_str());
  return 1;
}

int Record(const std::string& out, const std::string& plugin_dir,
           const std::vector<std::string>& case_dirs) {
  absl::StatusOr<std::vector<AnswerRecord>> questions = CaseRequests(case_dirs);
  if (!questions.ok()) return Fail(questions.status());
  const std::vector<AnswerRecord> seeds = *questions;
  for (const auto& [kind, count, random_seed] :
       {std::tuple{AnswerRecord::ROUTE, kRouteMutations, kRouteRandomSeed},
        std::tuple{AnswerRecord::VALIDATE_TASK, kValidateMutations, kValidateRandomSeed}}) {
    std::vector<AnswerRecord> mutations = Mutations(seeds, kind, count, random_seed);
    questions->insert(questions->end(), mutations.begin(), mutations.end());
  }
  absl::StatusOr<std::unique_ptr<host::PolicyEngine>> engine =
      DepartmentEngine(plugin_dir, /*worker_binary=*/"", host::Isolation::kInProcess);
  if (!engine.ok()) return Fail(engine.status());
  std::vector<AnswerRecord> records;
  records.reserve(questions->size());
  for (const AnswerRecord& question : *questions) {
    absl::StatusOr<AnswerRecord> record = Answer(**engine, question);
    if (!record.ok()) return Fail(record.status());
    records.push_back(*std::move(record));
  }
  if (absl::Status written = WriteCorpus(out, records); !written.ok()) return Fail(written);
  std::printf("escalation-answer-corpus: %zu answers (%zu from case files) in %s\n%s",
              records.size(), seeds.size(), out.c_str(), Tally(records).c_str());
  return 0;
}

}  // namespace
}  // namespace escalation::corpus

int main(int argc, char** argv) {
  if (argc < 5 || std::string(argv[1]) != "record") {
    std::fprintf(stderr, "usage: %s record OUT PLUGIN_DIR CASES_DIR...\n", argv[0]);
    return 2;
  }
  return escalation::corpus::Record(argv[2], argv[3],
                                    std::vector<std::string>(argv + 4, argv + argc));
}
