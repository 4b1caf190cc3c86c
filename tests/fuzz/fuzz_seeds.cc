// Turns the plugins' policy case files into libFuzzer seeds: each case's
// request, serialized, as OUT_DIR/route/<file>-<n> or OUT_DIR/validate/<file>-<n>.
// Usage: fuzz_seeds OUT_DIR CASE_FILE_OR_DIR...
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tools/policy_test/case_file.h"

namespace fs = std::filesystem;
namespace policy_test = escalation::policy_test;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR CASE_FILE_OR_DIR...\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  fs::create_directories(out / "route");
  fs::create_directories(out / "validate");
  int route_seeds = 0, validate_seeds = 0;
  for (int a = 2; a < argc; ++a) {
    auto files = policy_test::FindCaseFiles(argv[a]);
    if (!files.ok()) {
      std::fprintf(stderr, "fuzz_seeds: %s\n", std::string(files.status().message()).c_str());
      return 1;
    }
    for (const std::string& file : *files) {
      auto cases = policy_test::LoadCaseFile(file);
      if (!cases.ok()) {
        std::fprintf(stderr, "fuzz_seeds: %s\n", std::string(cases.status().message()).c_str());
        return 1;
      }
      // <department>_<file> keeps names unique across the plugins' cases/.
      const fs::path path(file);
      const std::string stem =
          path.parent_path().parent_path().filename().string() + "_" + path.stem().string();
      for (size_t i = 0; i < cases->size(); ++i) {
        const policy_test::PolicyCase& c = (*cases)[i];
        const bool route = c.route.has_value();
        const fs::path seed = out / (route ? "route" : "validate") / (stem + "-" + std::to_string(i));
        std::ofstream(seed, std::ios::binary)
            << (route ? c.route->SerializeAsString() : c.validate->SerializeAsString());
        ++(route ? route_seeds : validate_seeds);
      }
    }
  }
  std::printf("fuzz_seeds: %d route and %d validate seeds in %s\n", route_seeds, validate_seeds,
              out.c_str());
  return 0;
}
