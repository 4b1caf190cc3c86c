// A real small filesystem for tests of what happens when a disk fills: a
// tmpfs of a given size mounted in a fresh directory, unmounted after.
// Mounting needs root or CAP_SYS_ADMIN; MOUNT_OR_SKIP skips a test, saying
// why, where it cannot.
#ifndef ESCALATION_TESTS_SUPPORT_SMALL_FILESYSTEM_H_
#define ESCALATION_TESTS_SUPPORT_SMALL_FILESYSTEM_H_

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace escalation::test {

class SmallFilesystem {
 public:
  // `size` as tmpfs takes it, e.g. "64k".
  explicit SmallFilesystem(const std::string& size) {
    dir_ = ::testing::TempDir() + "/small_fs_" + std::to_string(getpid()) + "_" +
           std::to_string(counter_++);
    mkdir(dir_.c_str(), 0700);
    if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallFilesystem() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
    rmdir(dir_.c_str());
  }
  SmallFilesystem(const SmallFilesystem&) = delete;
  SmallFilesystem& operator=(const SmallFilesystem&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  // Writes a file of `bytes` bytes, so that much less room is left.
  void Fill(size_t bytes) const {
    std::ofstream filler(Path("filler"), std::ios::binary);
    filler << std::string(bytes, 'f');
  }

 private:
  static inline int counter_ = 0;
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace escalation::test

#define MOUNT_OR_SKIP(fs)                                                          \
  if (!(fs).mounted()) {                                                           \
    GTEST_SKIP() << "cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): " \
                 << (fs).error();                                                  \
  }

#endif  // ESCALATION_TESTS_SUPPORT_SMALL_FILESYSTEM_H_
