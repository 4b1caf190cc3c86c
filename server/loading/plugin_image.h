// The bytes of one plugin file as the server read them, once: a private
// in-memory copy (a memfd sealed against every change), so that what is
// checked (digest, ELF symbols) and what is loaded, here or in any worker,
// are the same bytes, whatever later happens to the file on disk.
#ifndef ESCALATION_SERVER_LOADING_PLUGIN_IMAGE_H_
#define ESCALATION_SERVER_LOADING_PLUGIN_IMAGE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace escalation::host {

class PluginImage {
 public:
  // Copies everything `file_fd` (open on the plugin file `path`) holds, from
  // its start, into a new sealed memfd, and digests the sealed copy. Errors
  // name `path`.
  static absl::StatusOr<std::shared_ptr<const PluginImage>> Copy(int file_fd,
                                                                 const std::string& path);
  // Opens `path` and copies it as Copy does, with no trust checks (tools and
  // tests; the server's files go through ResolveTrustedPluginFiles).
  static absl::StatusOr<std::shared_ptr<const PluginImage>> CopyFile(const std::string& path);
  // Takes over `fd`, an image a worker inherited from the server; refused
  // unless it is sealed against writes, growth and shrinking. `path` names
  // the file it was copied from. Not digested again: sha256() is "".
  static absl::StatusOr<std::shared_ptr<const PluginImage>> Adopt(int fd,
                                                                  const std::string& path);

  ~PluginImage();
  PluginImage(const PluginImage&) = delete;
  PluginImage& operator=(const PluginImage&) = delete;

  // The plugin file the bytes came from, as messages name it.
  const std::string& path() const { return path_; }
  // Lowercase hex SHA-256 of the sealed bytes.
  const std::string& sha256() const { return sha256_; }
  // The memfd, close-on-exec; a worker is given a duplicate.
  int fd() const { return fd_; }
  // What dlopen is given: "/proc/self/fd/N". The dynamic loader knows a
  // loaded object by this name, so an image that has been loaded must stay
  // open for the life of the process (its number never reused).
  std::string LoadPath() const;

 private:
  PluginImage(int fd, std::string path, std::string sha256)
      : fd_(fd), path_(std::move(path)), sha256_(std::move(sha256)) {}

  const int fd_;
  const std::string path_;
  const std::string sha256_;
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_LOADING_PLUGIN_IMAGE_H_
