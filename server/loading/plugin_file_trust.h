// Which plugin files the server may load: only those it was told about, in
// places no one else can write, and (with an allow-list) only the exact bytes
// the operator listed (docs/architecture.md, Plugin files and trust). Each file is opened once and judged on
// that open file; its bytes are copied once, and the copy is what is digested
// and later loaded (plugin_image.h), so a file changed after the check never
// runs. Nothing here opens a file as a shared object, so no plugin code runs
// while the files are being judged.
#ifndef ESCALATION_SERVER_LOADING_PLUGIN_FILE_TRUST_H_
#define ESCALATION_SERVER_LOADING_PLUGIN_FILE_TRUST_H_

#include <sys/types.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/loading/plugin_image.h"

namespace escalation::host {

struct TrustOptions {
  // Every *.so directly in these directories (name order). Each must resolve,
  // through its realpath, inside its directory's realpath.
  std::vector<std::string> plugin_dirs;
  // Individual plugin files: absolute paths without ".." components.
  std::vector<std::string> plugin_paths;
  // Empty: no allow-list. Otherwise a file of "sha256  filename" lines as
  // sha256sum prints them; a file not on it, or whose digest differs, is refused.
  std::string allowlist_path;
  // Besides root, the one user who may own plugin files and their directories.
  uid_t server_uid = geteuid();
};

struct TrustedPluginFile {
  std::string path;    // canonical (realpath)
  std::string sha256;  // lowercase hex of the checked bytes: image's
  // The checked bytes, the only ones ever loaded for this file.
  std::shared_ptr<const PluginImage> image;
};

// Resolves and checks every file `options` names: directories' files first
// (directory by directory, each sorted by name), then the explicit paths in
// the order given. Any refusal fails the whole call (FAILED_PRECONDITION)
// naming the file and the reason: a bare name, relative path or ".." in
// plugin_paths; a directory entry resolving outside its directory; not a
// regular file; owned by someone other than root or server_uid; the file or
// its directory writable by group or others; not on the allow-list or a
// digest that differs; a malformed allow-list line (file and line number).
absl::StatusOr<std::vector<TrustedPluginFile>> ResolveTrustedPluginFiles(
    const TrustOptions& options);

// An allow-list: file name (as written in the list) to lowercase hex SHA-256.
// A name with a '/' is matched against a file's canonical path, any other
// against its base name.
using PluginAllowlist = std::map<std::string, std::string>;
absl::StatusOr<PluginAllowlist> ReadPluginAllowlist(const std::string& path);

// The SHA-256 of a file's bytes, lowercase hex.
absl::StatusOr<std::string> Sha256OfFile(const std::string& path);

// Reads the image's bytes as an ELF file, without loading them, and checks
// that its dynamic symbol table exports `symbol` as a defined function with
// global or weak binding and default visibility. Only 64-bit little-endian
// shared objects are accepted; anything else is refused saying what it is
// and naming image.path().
absl::Status CheckElfExportsEntrySymbol(const PluginImage& image, const char* symbol);
// The same check of the file at `path` as it is now (tools and tests).
absl::Status CheckElfExportsEntrySymbol(const std::string& path, const char* symbol);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_LOADING_PLUGIN_FILE_TRUST_H_
