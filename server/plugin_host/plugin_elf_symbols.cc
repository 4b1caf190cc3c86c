// CheckElfExportsEntrySymbol (declared in plugin_file_trust.h): the ELF file
// is read as bytes, never mapped by the dynamic loader, so none of its code
// (constructors included) runs in the server.
#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/plugin_host/plugin_file_trust.h"

namespace escalation::host {
namespace {

#if defined(__x86_64__)
constexpr int kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr int kHostMachine = EM_AARCH64;
#else
constexpr int kHostMachine = -1;  // Not checked.
#endif

absl::Status Refuse(const std::string& file, const std::string& reason) {
  return absl::FailedPreconditionError(absl::StrCat("plugin file ", file, ": ", reason));
}

// The bytes of an ELF file, read with bounds checks.
class ElfBytes {
 public:
  explicit ElfBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t size() const { return bytes_.size(); }
  const char* data() const { return bytes_.data(); }

  // Copies a T from `offset`; false when it would run past the end.
  template <typename T>
  bool Read(uint64_t offset, T* out) const {
    if (offset > bytes_.size() || bytes_.size() - offset < sizeof(T)) return false;
    std::memcpy(out, bytes_.data() + offset, sizeof(T));
    return true;
  }
  bool Contains(uint64_t offset, uint64_t length) const {
    return offset <= bytes_.size() && length <= bytes_.size() - offset;
  }

 private:
  std::string bytes_;
};

absl::Status CheckHeader(const std::string& path, const ElfBytes& elf, Elf64_Ehdr* header) {
  if (elf.size() < EI_NIDENT || std::memcmp(elf.data(), ELFMAG, SELFMAG) != 0) {
    return Refuse(path, "is not an ELF file");
  }
  const unsigned char* ident = reinterpret_cast<const unsigned char*>(elf.data());
  if (ident[EI_CLASS] != ELFCLASS64) {
    return Refuse(path, "is a 32-bit ELF file; only 64-bit little-endian plugins are supported");
  }
  if (ident[EI_DATA] != ELFDATA2LSB) {
    return Refuse(path, "is a big-endian ELF file; only 64-bit little-endian plugins are supported");
  }
  if (!elf.Read(0, header)) return Refuse(path, "is a truncated ELF file (no full header)");
  if (header->e_type != ET_DYN) {
    return Refuse(path, absl::StrCat("is an ELF file but not a shared object (type ",
                                     header->e_type, ")"));
  }
  if (kHostMachine >= 0 && header->e_machine != kHostMachine) {
    return Refuse(path, absl::StrCat("is built for another machine (ELF machine ",
                                     header->e_machine, ", this host is ", kHostMachine, ")"));
  }
  if (header->e_shoff == 0 || header->e_shnum == 0) {
    return Refuse(path, "has no section headers, so its symbols cannot be checked");
  }
  if (header->e_shentsize != sizeof(Elf64_Shdr) ||
      !elf.Contains(header->e_shoff, uint64_t{header->e_shnum} * sizeof(Elf64_Shdr))) {
    return Refuse(path, "has a malformed section header table");
  }
  return absl::OkStatus();
}

Elf64_Shdr Section(const ElfBytes& elf, const Elf64_Ehdr& header, unsigned index) {
  Elf64_Shdr section{};
  elf.Read(header.e_shoff + uint64_t{index} * sizeof(Elf64_Shdr), &section);  // Bounds checked.
  return section;
}

// Why the found symbol does not qualify as the entry point, or "" when it does.
std::string SymbolProblem(const Elf64_Sym& sym) {
  if (sym.st_shndx == SHN_UNDEF) return "is imported, not defined, by the file";
  if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC) {
    return absl::StrCat("is not a function (symbol type ", ELF64_ST_TYPE(sym.st_info), ")");
  }
  const int binding = ELF64_ST_BIND(sym.st_info);
  if (binding != STB_GLOBAL && binding != STB_WEAK) return "is not a global symbol";
  if (ELF64_ST_VISIBILITY(sym.st_other) != STV_DEFAULT) return "is not exported (hidden)";
  return "";
}

}  // namespace

absl::Status CheckElfExportsEntrySymbol(const std::string& path, const char* symbol) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Refuse(path, "cannot be opened");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ElfBytes elf(std::move(bytes));
  Elf64_Ehdr header;
  if (absl::Status s = CheckHeader(path, elf, &header); !s.ok()) return s;

  const size_t symbol_length = std::strlen(symbol);
  bool has_dynsym = false;
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    const Elf64_Shdr symtab = Section(elf, header, i);
    if (symtab.sh_type != SHT_DYNSYM) continue;
    has_dynsym = true;
    if (symtab.sh_entsize != sizeof(Elf64_Sym) || symtab.sh_link >= header.e_shnum ||
        !elf.Contains(symtab.sh_offset, symtab.sh_size)) {
      return Refuse(path, "has a malformed dynamic symbol table");
    }
    const Elf64_Shdr strtab = Section(elf, header, symtab.sh_link);
    if (strtab.sh_type != SHT_STRTAB || !elf.Contains(strtab.sh_offset, strtab.sh_size)) {
      return Refuse(path, "has a malformed dynamic string table");
    }
    for (uint64_t at = 0; at + sizeof(Elf64_Sym) <= symtab.sh_size; at += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      elf.Read(symtab.sh_offset + at, &sym);
      // The name, with its terminating NUL, must lie inside the string table.
      if (sym.st_name >= strtab.sh_size || strtab.sh_size - sym.st_name <= symbol_length) continue;
      const char* name = elf.data() + strtab.sh_offset + sym.st_name;
      if (std::memcmp(name, symbol, symbol_length + 1) != 0) continue;
      if (const std::string problem = SymbolProblem(sym); !problem.empty()) {
        return Refuse(path, absl::StrCat("entry symbol ", symbol, " ", problem));
      }
      return absl::OkStatus();
    }
  }
  if (!has_dynsym) return Refuse(path, "has no dynamic symbol table");
  return Refuse(path, absl::StrCat("does not export the entry symbol ", symbol));
}

}  // namespace escalation::host
