#include "server/loading/plugin_image.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "server/loading/sha256.h"

namespace escalation::host {
namespace {

// Every seal: no write, no resize, and no seal ever removed.
constexpr int kSeals = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
// MFD_EXEC (Linux 6.3, not yet in every libc's headers): the memfd holds code.
constexpr unsigned kMfdExec = 0x0010U;

absl::Status ImageError(const std::string& path, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("plugin file ", path, ": ", what, ": ", std::strerror(errno)));
}

int CreateMemfd(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string name =
      "escalation-plugin:" + (slash == std::string::npos ? path : path.substr(slash + 1));
  const unsigned flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
  const int fd = memfd_create(name.c_str(), flags | kMfdExec);
  if (fd >= 0 || errno != EINVAL) return fd;
  return memfd_create(name.c_str(), flags);  // A kernel older than MFD_EXEC.
}

// Copies what `from` holds, from its start, to `to`.
bool CopyAll(int from, int to) {
  char buffer[1 << 16];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = pread(from, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    for (ssize_t written = 0; written < n;) {
      const ssize_t w = write(to, buffer + written, static_cast<size_t>(n - written));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return false;
      written += w;
    }
    offset += n;
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const PluginImage>> PluginImage::Copy(int file_fd,
                                                                     const std::string& path) {
  const int fd = CreateMemfd(path);
  if (fd < 0) return ImageError(path, "no private copy can be made (memfd_create)");
  absl::Cleanup close_fd = [fd] { close(fd); };
  if (!CopyAll(file_fd, fd)) return ImageError(path, "cannot be copied");
  if (fcntl(fd, F_ADD_SEALS, kSeals) != 0) return ImageError(path, "its copy cannot be sealed");
  // The digest is of the sealed copy itself: the bytes every load maps.
  absl::StatusOr<std::string> digest = Sha256OfFd(fd);
  if (!digest.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin file ", path, ": its copy ", digest.status().message()));
  }
  std::move(close_fd).Cancel();
  return std::shared_ptr<const PluginImage>(new PluginImage(fd, path, *std::move(digest)));
}

absl::StatusOr<std::shared_ptr<const PluginImage>> PluginImage::CopyFile(
    const std::string& path) {
  const int file = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0) return ImageError(path, "cannot be opened");
  absl::StatusOr<std::shared_ptr<const PluginImage>> image = Copy(file, path);
  close(file);
  return image;
}

absl::StatusOr<std::shared_ptr<const PluginImage>> PluginImage::Adopt(int fd,
                                                                      const std::string& path) {
  const int seals = fcntl(fd, F_GET_SEALS);
  if (seals < 0) return ImageError(path, absl::StrCat("descriptor ", fd, " is not a plugin image"));
  if ((seals & kSeals) != kSeals) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin file ", path, ": descriptor ", fd, " is not sealed against change"));
  }
  fcntl(fd, F_SETFD, FD_CLOEXEC);  // Not passed on to anything this process starts.
  return std::shared_ptr<const PluginImage>(new PluginImage(fd, path, ""));
}

PluginImage::~PluginImage() {
  if (fd_ >= 0) close(fd_);
}

std::string PluginImage::LoadPath() const { return absl::StrCat("/proc/self/fd/", fd_); }

}  // namespace escalation::host
