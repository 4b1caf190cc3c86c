// The deterministic mutation the fuzz targets' own main() uses outside the
// fuzz build, so ctest runs each on every build: byte flips, inserts,
// deletes and truncation.
#ifndef ESCALATION_TESTS_FUZZ_MUTATE_H_
#define ESCALATION_TESTS_FUZZ_MUTATE_H_

#include <random>
#include <string>

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

}  // namespace escalation::fuzz

#endif  // ESCALATION_TESTS_FUZZ_MUTATE_H_
