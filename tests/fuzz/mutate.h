// The deterministic mutation the fuzz targets' own main() uses outside the
// fuzz build, so ctest runs each on every build: byte flips, inserts,
// deletes and truncation, and the loop that feeds them to the target.
#ifndef ESCALATION_TESTS_FUZZ_MUTATE_H_
#define ESCALATION_TESTS_FUZZ_MUTATE_H_

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace escalation::fuzz {

// Makes up to `edits` random edits to `bytes`; truncation, which breaks most
// messages outright, is the rarest.
inline void Mutate(std::mt19937& random, int edits, std::string* bytes) {
  for (int e = 0; e < edits && !bytes->empty(); ++e) {
    const size_t at = random() % bytes->size();
    switch (random() % 7) {
      case 0: case 1: case 2: (*bytes)[at] = static_cast<char>(random()); break;
      case 3: case 4: bytes->insert(at, 1, static_cast<char>(random())); break;
      case 5: bytes->erase(at, 1); break;
      case 6: bytes->resize(at); break;
    }
  }
}

// The deterministic run of a fuzz target's own main(): argv[1] inputs
// (20,000 when not given), each `edit(random, seed)` of the next of `seeds`
// in turn, fed to `run`. Returns how many.
template <typename Edit>
int RunMutations(int argc, char** argv, uint32_t random_seed,
                 const std::vector<std::string>& seeds, void (*run)(const uint8_t*, size_t),
                 Edit edit) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 20000;
  std::mt19937 random(random_seed);
  for (int i = 0; i < iterations; ++i) {
    const std::string input = edit(random, seeds[i % seeds.size()]);
    run(reinterpret_cast<const uint8_t*>(input.data()), input.size());
  }
  return iterations;
}

}  // namespace escalation::fuzz

#endif  // ESCALATION_TESTS_FUZZ_MUTATE_H_
