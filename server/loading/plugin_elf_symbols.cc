// CheckElfExportsEntrySymbol (declared in plugin_file_trust.h): the ELF file
// (a plugin image's bytes, in the server) is read as bytes, never mapped by
// the dynamic loader, so none of its code (constructors included) runs here.
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "server/loading/plugin_file_trust.h"

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

// An ELF file read in pieces with bounds checks: only the headers and the
// dynamic symbol and string tables are read, not the whole file.
class ElfFile {
 public:
  ElfFile(int fd, uint64_t size) : fd_(fd), size_(size) {}

  bool Contains(uint64_t offset, uint64_t length) const {
    return offset <= size_ && length <= size_ - offset;
  }
  // Copies `length` bytes from `offset`; false when they run past the end.
  bool ReadInto(uint64_t offset, uint64_t length, void* out) const {
    if (!Contains(offset, length)) return false;
    char* to = static_cast<char*>(out);
    while (length > 0) {
      const ssize_t n = pread(fd_, to, length, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      to += n;
      offset += static_cast<uint64_t>(n);
      length -= static_cast<uint64_t>(n);
    }
    return true;
  }
  template <typename T>
  bool Read(uint64_t offset, T* out) const {
    return ReadInto(offset, sizeof(T), out);
  }
  bool ReadString(uint64_t offset, uint64_t length, std::string* out) const {
    if (!Contains(offset, length)) return false;
    out->resize(length);
    return ReadInto(offset, length, out->data());
  }

 private:
  const int fd_;
  const uint64_t size_;
};

absl::Status CheckHeader(const std::string& path, const ElfFile& elf, Elf64_Ehdr* header) {
  unsigned char ident[EI_NIDENT];
  if (!elf.Read(0, &ident) || std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    return Refuse(path, "is not an ELF file");
  }
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

Elf64_Shdr Section(const ElfFile& elf, const Elf64_Ehdr& header, unsigned index) {
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

// The check on an open file, whose messages name `path`.
absl::Status CheckElfFile(int fd, const std::string& path, const char* symbol) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return Refuse(path, "is not a regular file");
  const ElfFile elf(fd, static_cast<uint64_t>(st.st_size));
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
    std::string symbols, names;
    if (strtab.sh_type != SHT_STRTAB ||
        !elf.ReadString(strtab.sh_offset, strtab.sh_size, &names)) {
      return Refuse(path, "has a malformed dynamic string table");
    }
    if (!elf.ReadString(symtab.sh_offset, symtab.sh_size, &symbols)) {
      return Refuse(path, "cannot read its dynamic symbol table");
    }
    for (size_t at = 0; at + sizeof(Elf64_Sym) <= symbols.size(); at += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, symbols.data() + at, sizeof sym);
      // The name, with its terminating NUL, must lie inside the string table.
      if (sym.st_name >= names.size() || names.size() - sym.st_name <= symbol_length) continue;
      if (std::memcmp(names.data() + sym.st_name, symbol, symbol_length + 1) != 0) continue;
      if (const std::string problem = SymbolProblem(sym); !problem.empty()) {
        return Refuse(path, absl::StrCat("entry symbol ", symbol, " ", problem));
      }
      return absl::OkStatus();
    }
  }
  if (!has_dynsym) return Refuse(path, "has no dynamic symbol table");
  return Refuse(path, absl::StrCat("does not export the entry symbol ", symbol));
}

}  // namespace

absl::Status CheckElfExportsEntrySymbol(const PluginImage& image, const char* symbol) {
  return CheckElfFile(image.fd(), image.path(), symbol);
}

absl::Status CheckElfExportsEntrySymbol(const std::string& path, const char* symbol) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Refuse(path, absl::StrCat("cannot be opened: ", std::strerror(errno)));
  const absl::Cleanup close_fd = [fd] { close(fd); };
  return CheckElfFile(fd, path, symbol);
}

}  // namespace escalation::host
