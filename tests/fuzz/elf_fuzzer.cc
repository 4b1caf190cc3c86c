// Hostile plugin files through the ELF check (CheckElfExportsEntrySymbol,
// plugin_file_trust.h), which reads a file the server does not trust yet:
// its header, section headers and dynamic symbol and string tables. Any
// refusal is fine when it is FAILED_PRECONDITION naming the file; a crash, a
// sanitizer report (an overread), or any other status is not.
//
// Input: the file's bytes. Seeds: real shared objects (the small marker test
// plugins, one of them made to export the entry; tools/fuzz adds the
// department plugins).
// With clang and -DESCALATION_BUILD_FUZZERS=ON this is a libFuzzer target
// (tools/fuzz elf_fuzzer); otherwise main() below mutates the seeds
// deterministically, mostly inside the parts the check reads, so ctest runs
// it on every build (and under ASan/UBSan).
#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "escalation/plugin_abi.h"
#include "server/loading/plugin_file_trust.h"
#include "tests/fuzz/mutate.h"

namespace {

int accepted = 0, refused = 0;  // For the summary.

void Fail(const std::string& what) {
  std::fprintf(stderr, "elf_fuzzer: %s\n", what.c_str());
  std::abort();
}

// The input, as a file with a path: a memfd rewritten for each input.
const std::string& WriteFile(const uint8_t* data, size_t size) {
  static const int fd = memfd_create("elf_fuzzer", MFD_CLOEXEC);
  static const std::string path = absl::StrCat("/proc/self/fd/", fd);
  if (fd < 0 || ftruncate(fd, 0) != 0) Fail("cannot make the input file");
  for (size_t at = 0; at < size;) {
    const ssize_t n = pwrite(fd, data + at, size - at, static_cast<off_t>(at));
    if (n <= 0) Fail("cannot write the input file");
    at += static_cast<size_t>(n);
  }
  return path;
}

void RunOne(const uint8_t* data, size_t size) {
  const std::string& path = WriteFile(data, size);
  const absl::Status status =
      escalation::host::CheckElfExportsEntrySymbol(path, ESCALATION_PLUGIN_ENTRY_SYMBOL);
  if (status.ok()) {
    ++accepted;
    return;
  }
  ++refused;
  if (status.code() != absl::StatusCode::kFailedPrecondition ||
      !absl::StrContains(status.message(), path)) {
    Fail(absl::StrCat("a refusal that is not FAILED_PRECONDITION naming the file: ",
                      status.ToString()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RunOne(data, size);
  return 0;
}

#ifndef ESCALATION_LIBFUZZER
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  if (bytes.str().size() < sizeof(Elf64_Ehdr)) Fail("no seed plugin at " + path);
  return bytes.str();
}

// `elf` (a well-formed seed) with its entry symbol's type made a function:
// a small file the check accepts.
std::string WithEntryAsFunction(std::string elf) {
  Elf64_Ehdr header;
  std::memcpy(&header, elf.data(), sizeof header);
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr symtab, strtab;
    std::memcpy(&symtab, elf.data() + header.e_shoff + i * sizeof symtab, sizeof symtab);
    if (symtab.sh_type != SHT_DYNSYM) continue;
    std::memcpy(&strtab, elf.data() + header.e_shoff + symtab.sh_link * sizeof strtab,
                sizeof strtab);
    for (size_t at = symtab.sh_offset; at + sizeof(Elf64_Sym) <= symtab.sh_offset + symtab.sh_size;
         at += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, elf.data() + at, sizeof sym);
      if (std::strcmp(elf.c_str() + strtab.sh_offset + sym.st_name,
                      ESCALATION_PLUGIN_ENTRY_SYMBOL) != 0) {
        continue;
      }
      sym.st_info = ELF64_ST_INFO(ELF64_ST_BIND(sym.st_info), STT_FUNC);
      std::memcpy(elf.data() + at, &sym, sizeof sym);
      return elf;
    }
  }
  Fail("the seed exports no entry symbol");
  return elf;
}

// Small real shared objects: one the check accepts, two it refuses.
std::vector<std::string> Seeds() {
  const std::string dir = ESCALATION_TEST_PLUGIN_DIR;
  const std::string entry_as_data = ReadFile(dir + "/marker_entry_as_data.so");
  return {WithEntryAsFunction(entry_as_data), entry_as_data,
          ReadFile(dir + "/marker_no_entry.so")};
}

// A part of an ELF file the check reads: the header, the section header
// table, or one section's bytes (the dynamic symbol and string tables among
// them); the whole file now and then.
std::pair<size_t, size_t> Part(std::mt19937& random, const std::string& elf) {
  Elf64_Ehdr header;
  std::memcpy(&header, elf.data(), sizeof header);
  const size_t table = header.e_shoff, table_size = size_t{header.e_shnum} * sizeof(Elf64_Shdr);
  switch (random() % 4) {
    case 0: return {0, sizeof header};
    case 1: return {table, table_size};
    case 2: {
      Elf64_Shdr section;
      const size_t index = random() % header.e_shnum;
      std::memcpy(&section, elf.data() + table + index * sizeof section, sizeof section);
      if (section.sh_offset >= elf.size() || section.sh_size == 0) break;
      return {section.sh_offset, std::min<size_t>(section.sh_size, elf.size() - section.sh_offset)};
    }
  }
  return {0, elf.size()};
}

}  // namespace

// Deterministic mutation run: edits (flips, inserts, deletes, a truncation)
// inside one part of one of the seed plugins.
// Usage: elf_fuzzer [iterations]
int main(int argc, char** argv) {
  const int iterations = escalation::fuzz::RunMutations(
      argc, argv, 1357, Seeds(), RunOne, [](std::mt19937& random, const std::string& seed) {
        const auto [at, size] = Part(random, seed);
        std::string part = seed.substr(at, size);
        escalation::fuzz::Mutate(random, 1 + random() % 4, &part);
        if (random() % 8 == 0) return seed.substr(0, at) + part;  // Truncated there.
        // Kept the same size, so that what follows stays where the headers say.
        part.resize(size);
        return seed.substr(0, at) + part + seed.substr(at + size);
      });
  std::printf("%d mutated plugin files, no fault: %d accepted, %d refused naming the file\n",
              iterations, accepted, refused);
  if (accepted < iterations / 20 || refused < iterations / 10) {
    std::fprintf(stderr, "elf_fuzzer: the mutations should give both kinds\n");
    return 1;
  }
  return 0;
}
#endif
