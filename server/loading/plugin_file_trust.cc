#include "server/loading/plugin_file_trust.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "server/loading/sha256.h"

namespace escalation::host {
namespace {

absl::Status Refuse(const std::string& file, absl::string_view reason) {
  return absl::FailedPreconditionError(absl::StrCat("plugin file ", file, ": ", reason));
}

std::string Errno() { return std::strerror(errno); }

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

absl::StatusOr<std::string> RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot be resolved: ", Errno()));
  }
  return std::string(resolved);
}

std::string DirName(const std::string& canonical) {
  const size_t slash = canonical.rfind('/');
  return slash == 0 ? "/" : canonical.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Owner and write bits of a file or directory, as the server requires them.
absl::Status CheckOwnerAndMode(const struct stat& st, const std::string& what,
                               uid_t server_uid) {
  if (st.st_uid != 0 && st.st_uid != server_uid) {
    return absl::FailedPreconditionError(absl::StrCat(
        what, " is owned by uid ", st.st_uid, ", not by root or the server's user (uid ",
        server_uid, ")"));
  }
  if (st.st_mode & S_IWOTH) {
    return absl::FailedPreconditionError(absl::StrCat(what, " is writable by others"));
  }
  if (st.st_mode & S_IWGRP) {
    return absl::FailedPreconditionError(absl::StrCat(what, " is writable by its group"));
  }
  return absl::OkStatus();
}

// Checks one resolved file (it and the directory holding it) and copies it.
// The checks and the copy are made on one open descriptor, so they describe
// the same file; the digest is the copy's.
absl::StatusOr<TrustedPluginFile> CheckResolvedFile(const std::string& shown,
                                                    const std::string& canonical,
                                                    uid_t server_uid) {
  Fd fd(open(canonical.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return Refuse(shown, absl::StrCat("cannot be opened: ", Errno()));
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Refuse(shown, absl::StrCat("cannot be stat'ed: ", Errno()));
  if (!S_ISREG(st.st_mode)) return Refuse(shown, absl::StrCat(canonical, " is not a regular file"));
  if (absl::Status s = CheckOwnerAndMode(st, "the file", server_uid); !s.ok()) {
    return Refuse(shown, s.message());
  }
  const std::string dir = DirName(canonical);
  struct stat dir_st;
  if (stat(dir.c_str(), &dir_st) != 0) {
    return Refuse(shown, absl::StrCat("its directory ", dir, " cannot be stat'ed: ", Errno()));
  }
  if (absl::Status s = CheckOwnerAndMode(dir_st, "its directory " + dir, server_uid); !s.ok()) {
    return Refuse(shown, s.message());
  }
  absl::StatusOr<std::shared_ptr<const PluginImage>> image =
      PluginImage::Copy(fd.get(), canonical);
  if (!image.ok()) return image.status();
  return TrustedPluginFile{canonical, (*image)->sha256(), *std::move(image)};
}

// The names of the *.so entries of a directory, sorted.
absl::StatusOr<std::vector<std::string>> SharedObjectNames(const std::string& dir) {
  struct CloseDir {
    void operator()(DIR* d) const { closedir(d); }
  };
  std::unique_ptr<DIR, CloseDir> handle(opendir(dir.c_str()));
  if (handle == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin directory ", dir, " cannot be read: ", Errno()));
  }
  std::vector<std::string> names;
  while (const dirent* entry = readdir(handle.get())) {
    const std::string name = entry->d_name;
    if (name.size() > 3 && absl::EndsWith(name, ".so")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::Status CheckExplicitPathForm(const std::string& path) {
  if (path.find('/') == std::string::npos) {
    return Refuse(path, "is a bare name (it would be searched for); give an absolute path");
  }
  if (path[0] != '/') return Refuse(path, "is a relative path; give an absolute path");
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part == "..") return Refuse(path, "has a \"..\" component; give the path without it");
  }
  return absl::OkStatus();
}

absl::Status CheckAllowed(const TrustedPluginFile& file, const std::string& shown,
                          const PluginAllowlist& allowlist, const std::string& list_path) {
  auto entry = allowlist.find(file.path);
  if (entry == allowlist.end()) entry = allowlist.find(BaseName(file.path));
  if (entry == allowlist.end()) {
    return Refuse(shown, absl::StrCat("is not on the allow-list ", list_path));
  }
  if (entry->second != file.sha256) {
    return Refuse(shown, absl::StrCat("its SHA-256 ", file.sha256, " differs from ",
                                      entry->second, " on the allow-list ", list_path));
  }
  return absl::OkStatus();
}

bool IsSha256Hex(absl::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isxdigit(c); });
}

}  // namespace

absl::StatusOr<std::string> Sha256OfFile(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return absl::NotFoundError(absl::StrCat(path, " cannot be opened: ", Errno()));
  }
  absl::StatusOr<std::string> digest = Sha256OfFd(fd.get());
  if (!digest.ok()) return absl::InternalError(absl::StrCat(path, " ", digest.status().message()));
  return digest;
}

absl::StatusOr<PluginAllowlist> ReadPluginAllowlist(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin allow-list ", path, " cannot be read: ", Errno()));
  }
  PluginAllowlist allowlist;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    auto malformed = [&](absl::string_view why) {
      return absl::FailedPreconditionError(absl::StrCat(
          "plugin allow-list ", path, " line ", number, ": ", why,
          " (expected \"<sha256 hex>  <file name>\" as sha256sum prints it)"));
    };
    // sha256sum: 64 hex digits, a space, then ' ' (text) or '*' (binary), the name.
    if (text.size() < 67 || !IsSha256Hex(text.substr(0, 64)) || text[64] != ' ' ||
        (text[65] != ' ' && text[65] != '*')) {
      return malformed("not a SHA-256 digest followed by two spaces");
    }
    const std::string name(text.substr(66));
    if (name[0] == '\\') return malformed("escaped file names are not supported");
    if (!allowlist.emplace(name, absl::AsciiStrToLower(text.substr(0, 64))).second) {
      return malformed(absl::StrCat("\"", name, "\" is listed twice"));
    }
  }
  return allowlist;
}

absl::StatusOr<std::vector<TrustedPluginFile>> ResolveTrustedPluginFiles(
    const TrustOptions& options) {
  PluginAllowlist allowlist;
  if (!options.allowlist_path.empty()) {
    absl::StatusOr<PluginAllowlist> read = ReadPluginAllowlist(options.allowlist_path);
    if (!read.ok()) return read.status();
    allowlist = *std::move(read);
  }
  std::vector<TrustedPluginFile> files;
  auto accept = [&](const std::string& shown, const std::string& canonical) -> absl::Status {
    absl::StatusOr<TrustedPluginFile> file =
        CheckResolvedFile(shown, canonical, options.server_uid);
    if (!file.ok()) return file.status();
    if (!options.allowlist_path.empty()) {
      if (absl::Status s = CheckAllowed(*file, shown, allowlist, options.allowlist_path);
          !s.ok()) {
        return s;
      }
    }
    files.push_back(*std::move(file));
    return absl::OkStatus();
  };

  for (const std::string& dir : options.plugin_dirs) {
    absl::StatusOr<std::string> real_dir = RealPath(dir);
    if (!real_dir.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("plugin directory ", dir, " ", real_dir.status().message()));
    }
    absl::StatusOr<std::vector<std::string>> names = SharedObjectNames(*real_dir);
    if (!names.ok()) return names.status();
    for (const std::string& name : *names) {
      const std::string shown = absl::StrCat(dir, "/", name);
      absl::StatusOr<std::string> canonical = RealPath(shown);
      if (!canonical.ok()) return Refuse(shown, canonical.status().message());
      if (!absl::StartsWith(*canonical, *real_dir + "/")) {
        return Refuse(shown, absl::StrCat("resolves to ", *canonical,
                                          ", outside the plugin directory ", *real_dir));
      }
      if (absl::Status s = accept(shown, *canonical); !s.ok()) return s;
    }
  }
  for (const std::string& path : options.plugin_paths) {
    if (absl::Status s = CheckExplicitPathForm(path); !s.ok()) return s;
    absl::StatusOr<std::string> canonical = RealPath(path);
    if (!canonical.ok()) return Refuse(path, canonical.status().message());
    if (absl::Status s = accept(path, *canonical); !s.ok()) return s;
  }
  return files;
}

}  // namespace escalation::host
