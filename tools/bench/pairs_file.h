// The file that tells the echo server what to answer: (request, response)
// byte pairs, each string a 4-byte little-endian length and its bytes.
#ifndef ESCALATION_TOOLS_BENCH_PAIRS_FILE_H_
#define ESCALATION_TOOLS_BENCH_PAIRS_FILE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace escalation::bench {

using BytePairs = std::vector<std::pair<std::string, std::string>>;

absl::Status WritePairs(const std::string& path, const BytePairs& pairs);
// Errors name the file and say what is wrong with it.
absl::StatusOr<BytePairs> ReadPairs(const std::string& path);

}  // namespace escalation::bench

#endif  // ESCALATION_TOOLS_BENCH_PAIRS_FILE_H_
