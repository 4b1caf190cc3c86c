// The loader's trust in what a plugin file holds (docs/architecture.md,
// Plugin files and trust): its SHA-256 against the allow-list, the sealed
// copy that is what was checked and that no later change to the file reaches,
// and the entry symbol read from the ELF file without loading it. Every
// refusal names the file and the reason.
#include "server/loading/plugin_file_trust.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/loading/plugin_file_trust_fixture.h"
#include "tests/support/paths.h"

namespace escalation::host {
namespace {

namespace fs = std::filesystem;
using test::TestPlugin;
using trust_test::PluginFileTrustTest;
using trust_test::RefusedWith;
using trust_test::Sha256sumLine;

constexpr char kEntry[] = "escalation_plugin_entry_v1";

// A file name of this process's own in the temporary directory.
std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + std::to_string(getpid()) + "_" + name;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(PluginFileTrust, Sha256MatchesKnownDigests) {
  const std::string path = TempPath("sha256_abc");
  WriteFile(path, "abc");
  EXPECT_EQ(*Sha256OfFile(path),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  WriteFile(path, "");
  EXPECT_EQ(*Sha256OfFile(path),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::remove(path.c_str());
}

TEST_F(PluginFileTrustTest, AnAllowListAsSha256sumPrintsItAdmitsExactlyItsFiles) {
  const std::string good_a = Copy("test_good_a.so");
  const std::string allowlist = root_ + "/allowlist";
  WriteFile(allowlist, "# plugins of record\n\n" + Sha256sumLine(good_a));
  EXPECT_TRUE(ResolveDir(allowlist).ok()) << ResolveDir(allowlist);

  const std::string good_b = Copy("test_good_b.so");  // Dropped in beside it.
  EXPECT_THAT(ResolveDir(allowlist), RefusedWith(good_b, "is not on the allow-list " + allowlist));

  // Same name, other bytes.
  fs::copy_file(TestPlugin("test_good_b.so"), good_a, fs::copy_options::overwrite_existing);
  ASSERT_EQ(unlink(good_b.c_str()), 0);
  EXPECT_THAT(ResolveDir(allowlist),
              RefusedWith(good_a, "its SHA-256 " + *Sha256OfFile(good_a) + " differs from " +
                                      Sha256sumLine(TestPlugin("test_good_a.so")).substr(0, 64)));
}

// What pread finds in `fd` from its start.
std::string ReadAll(int fd) {
  std::string bytes;
  char buffer[1 << 16];
  for (ssize_t n; (n = pread(fd, buffer, sizeof buffer, bytes.size())) > 0;) {
    bytes.append(buffer, static_cast<size_t>(n));
  }
  return bytes;
}

TEST_F(PluginFileTrustTest, TheCheckedBytesAreAPrivateSealedCopyTheFileCannotReach) {
  const std::string file = Copy("test_good_a.so");
  const std::string checked = ReadFile(file);
  const std::string allowlist = root_ + "/allowlist";
  WriteFile(allowlist, Sha256sumLine(file));
  TrustOptions options;
  options.plugin_paths = {file};
  options.allowlist_path = allowlist;
  auto files = ResolveTrustedPluginFiles(options);
  ASSERT_TRUE(files.ok()) << files.status();
  const PluginImage& image = *files->at(0).image;
  EXPECT_EQ(image.path(), fs::canonical(file).string());
  EXPECT_EQ(image.sha256(), files->at(0).sha256);
  EXPECT_EQ(image.sha256(), Sha256sumLine(file).substr(0, 64));
  EXPECT_TRUE(CheckElfExportsEntrySymbol(image, kEntry).ok());

  // The file written over in place, then renamed over: the copy stays.
  fs::copy_file(TestPlugin("test_good_b.so"), file, fs::copy_options::overwrite_existing);
  Copy("test_good_admitting.so");
  ASSERT_EQ(rename((dir_ + "/test_good_admitting.so").c_str(), file.c_str()), 0);
  EXPECT_NE(ReadFile(file), checked);
  EXPECT_EQ(ReadAll(image.fd()), checked);
  EXPECT_EQ(ReadFile(image.LoadPath()), checked);

  // Nor can anyone holding the copy change it, or unseal it.
  EXPECT_EQ(pwrite(image.fd(), "x", 1, 0), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(ftruncate(image.fd(), 1), -1);
  const int writable = open(image.LoadPath().c_str(), O_RDWR | O_CLOEXEC);
  if (writable >= 0) {
    EXPECT_EQ(write(writable, "x", 1), -1);
    EXPECT_EQ(mmap(nullptr, 1, PROT_WRITE, MAP_SHARED, writable, 0), MAP_FAILED);
    close(writable);
  }
  EXPECT_EQ(fcntl(image.fd(), F_ADD_SEALS, 0), -1);
  EXPECT_EQ(ReadAll(image.fd()), checked);
}

TEST(PluginImage, AWorkerAdoptsOnlyASealedImage) {
  auto copied = PluginImage::CopyFile(TestPlugin("test_good_a.so"));
  ASSERT_TRUE(copied.ok()) << copied.status();
  const int inherited = dup((*copied)->fd());
  auto adopted = PluginImage::Adopt(inherited, "/plugins/test_good_a.so");
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  EXPECT_EQ(ReadAll((*adopted)->fd()), ReadFile(TestPlugin("test_good_a.so")));
  EXPECT_EQ((*adopted)->path(), "/plugins/test_good_a.so");

  const int unsealed = memfd_create("unsealed", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  ASSERT_GE(unsealed, 0);
  EXPECT_THAT(PluginImage::Adopt(unsealed, "/plugins/x.so").status(),
              RefusedWith("/plugins/x.so", "is not sealed against change"));
  close(unsealed);
  const int file = open(TestPlugin("test_good_a.so").c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_THAT(PluginImage::Adopt(file, "/plugins/y.so").status(),
              RefusedWith("/plugins/y.so", "is not a plugin image"));
  close(file);
  EXPECT_THAT(PluginImage::CopyFile("/no/such.so").status(),
              RefusedWith("/no/such.so", "cannot be opened"));
}

TEST_F(PluginFileTrustTest, AnAllowListEntryMayNameTheCanonicalPath) {
  const std::string file = Copy("test_good_a.so");
  const std::string allowlist = root_ + "/allowlist";
  WriteFile(allowlist, *Sha256OfFile(file) + " *" + fs::canonical(file).string() + "\n");
  EXPECT_TRUE(ResolveDir(allowlist).ok()) << ResolveDir(allowlist);
}

TEST_F(PluginFileTrustTest, RefusesAMalformedAllowListNamingTheLine) {
  Copy("test_good_a.so");
  const std::string allowlist = root_ + "/allowlist";
  const std::string digest(64, 'a');
  for (const std::string& bad :
       {std::string("test_good_a.so"), digest + " test_good_a.so", digest.substr(1) + "  x.so",
        std::string(63, 'a') + "g  x.so", digest + "  "}) {
    WriteFile(allowlist, "# header\n\n" + bad + "\n");
    EXPECT_THAT(ResolveDir(allowlist),
                RefusedWith("plugin allow-list " + allowlist + " line 3", "expected"))
        << bad;
  }
  WriteFile(allowlist, digest + "  x.so\n" + digest + "  x.so\n");
  EXPECT_THAT(ResolveDir(allowlist), RefusedWith("line 2", "\"x.so\" is listed twice"));
  EXPECT_THAT(ResolveDir(root_ + "/no_such_list"), RefusedWith("no_such_list", "cannot be read"));
}

// ---- The entry symbol, read from the ELF file without loading it ----

TEST(PluginElfCheck, AcceptsAPluginAndRefusesFilesThatAreNotPlugins) {
  EXPECT_TRUE(CheckElfExportsEntrySymbol(TestPlugin("test_good_a.so"), kEntry).ok());
  EXPECT_THAT(CheckElfExportsEntrySymbol(TestPlugin("not_a_plugin.so"), kEntry),
              RefusedWith("not_a_plugin.so", "is not an ELF file"));
  EXPECT_THAT(CheckElfExportsEntrySymbol(TestPlugin("fault_no_entry.so"), kEntry),
              RefusedWith("fault_no_entry.so", "does not export the entry symbol"));
  EXPECT_THAT(CheckElfExportsEntrySymbol(TestPlugin("marker_entry_as_data.so"), kEntry),
              RefusedWith("marker_entry_as_data.so", "is not a function"));
  EXPECT_THAT(CheckElfExportsEntrySymbol("/no/such.so", kEntry),
              RefusedWith("/no/such.so", "cannot be opened"));
}

TEST(PluginElfCheck, AStrangersConstructorNeverRuns) {
  const std::string marker = TempPath("constructor_marker");
  std::remove(marker.c_str());
  setenv("ESCALATION_MARKER_FILE", marker.c_str(), 1);
  EXPECT_THAT(CheckElfExportsEntrySymbol(TestPlugin("marker_no_entry.so"), kEntry),
              RefusedWith("marker_no_entry.so", "does not export the entry symbol"));
  EXPECT_THAT(CheckElfExportsEntrySymbol(TestPlugin("marker_entry_as_data.so"), kEntry),
              RefusedWith("marker_entry_as_data.so", "is not a function"));
  EXPECT_FALSE(fs::exists(marker)) << "a constructor ran";
  // The marker does work: a process that loads the file leaves it.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(dlopen(TestPlugin("marker_no_entry.so").c_str(), RTLD_NOW) ? 0 : 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_TRUE(fs::exists(marker));
  std::remove(marker.c_str());
  unsetenv("ESCALATION_MARKER_FILE");
}

// A copy of a good plugin with one header field changed.
std::string PatchedCopy(const std::string& name, size_t offset, const std::string& bytes) {
  std::string elf = ReadFile(TestPlugin("test_good_a.so"));
  elf.replace(offset, bytes.size(), bytes);
  const std::string path = TempPath(name);
  WriteFile(path, elf);
  return path;
}

TEST(PluginElfCheck, RefusesOtherElfKindsClearly) {
  EXPECT_THAT(CheckElfExportsEntrySymbol(PatchedCopy("elf32.so", EI_CLASS, "\x01"), kEntry),
              RefusedWith("elf32.so", "is a 32-bit ELF file"));
  EXPECT_THAT(CheckElfExportsEntrySymbol(PatchedCopy("elfbe.so", EI_DATA, "\x02"), kEntry),
              RefusedWith("elfbe.so", "is a big-endian ELF file"));
  EXPECT_THAT(CheckElfExportsEntrySymbol(PatchedCopy("exec.so", 16, std::string("\x02\x00", 2)),
                                         kEntry),
              RefusedWith("exec.so", "not a shared object (type 2)"));
  // e_shoff (offset 40) far past the end of the file.
  EXPECT_THAT(CheckElfExportsEntrySymbol(
                  PatchedCopy("shoff.so", 40, std::string("\xff\xff\xff\x0f\0\0\0\0", 8)), kEntry),
              RefusedWith("shoff.so", "malformed section header table"));
  const std::string truncated = TempPath("truncated.so");
  WriteFile(truncated, ReadFile(TestPlugin("test_good_a.so")).substr(0, 20));
  EXPECT_THAT(CheckElfExportsEntrySymbol(truncated, kEntry),
              RefusedWith("truncated.so", "truncated ELF file"));
  for (const char* name : {"elf32.so", "elfbe.so", "exec.so", "shoff.so", "truncated.so"}) {
    std::remove(TempPath(name).c_str());
  }
}

}  // namespace
}  // namespace escalation::host
