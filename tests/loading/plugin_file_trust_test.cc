// The loader's trust in plugin files (docs/architecture.md, Plugin files and trust): every refusal names the
// file and the reason, the build's own plugins are accepted, and what was
// checked is a sealed copy no later change to the file reaches. Mode and
// owner cases work on copies in a temporary directory.
#include "server/loading/plugin_file_trust.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/paths.h"

namespace escalation::host {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using test::TestPlugin;

constexpr uid_t kNobody = 65534;
constexpr char kEntry[] = "escalation_plugin_entry_v1";

// sha256sum's own output for `file` (run in its directory), one line.
std::string Sha256sumLine(const std::string& file) {
  const fs::path path(file);
  const std::string command = "cd '" + path.parent_path().string() + "' && sha256sum '" +
                              path.filename().string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  char line[512] = {};
  if (pipe != nullptr) {
    EXPECT_NE(fgets(line, sizeof line, pipe), nullptr) << command;
    pclose(pipe);
  }
  return line;
}

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

class PluginFileTrustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/plugin_trust_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ + "/plugins";
    ASSERT_EQ(mkdir(dir_.c_str(), 0755), 0);
    ASSERT_EQ(chmod(root_.c_str(), 0755), 0);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Copies a test plugin into `dir` (the plugin directory by default).
  std::string Copy(const std::string& plugin, const std::string& dir = "", mode_t mode = 0644) {
    const std::string to = (dir.empty() ? dir_ : dir) + "/" + plugin;
    fs::copy_file(TestPlugin(plugin), to, fs::copy_options::overwrite_existing);
    EXPECT_EQ(chmod(to.c_str(), mode), 0);
    return to;
  }

  absl::Status ResolveDir(const std::string& allowlist = "") {
    TrustOptions options;
    options.plugin_dirs = {dir_};
    options.allowlist_path = allowlist;
    return ResolveTrustedPluginFiles(options).status();
  }
  absl::Status ResolvePath(const std::string& path) {
    TrustOptions options;
    options.plugin_paths = {path};
    return ResolveTrustedPluginFiles(options).status();
  }

  std::string root_;
  std::string dir_;
};

MATCHER_P2(RefusedWith, file, reason, "") {
  return arg.code() == absl::StatusCode::kFailedPrecondition &&
         ::testing::ExplainMatchResult(AllOf(HasSubstr(file), HasSubstr(reason)),
                                       std::string(arg.message()), result_listener);
}

#ifdef ESCALATION_HAVE_DEPARTMENT_PLUGINS
TEST(PluginFileTrust, AcceptsTheDepartmentPluginsOfTheBuildInNameOrder) {
  TrustOptions options;
  options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
  absl::StatusOr<std::vector<TrustedPluginFile>> files = ResolveTrustedPluginFiles(options);
  ASSERT_TRUE(files.ok()) << files.status();
  std::vector<std::string> names;
  for (const TrustedPluginFile& file : *files) {
    names.push_back(fs::path(file.path).filename());
    EXPECT_EQ(file.path, fs::canonical(file.path).string());
    EXPECT_EQ(Sha256sumLine(file.path).substr(0, 64), file.sha256) << file.path;
    EXPECT_TRUE(CheckElfExportsEntrySymbol(file.path, "escalation_plugin_entry_v1").ok())
        << file.path;
  }
  EXPECT_THAT(names, ::testing::ElementsAre("customer_service.so", "leadership_desk.so",
                                            "membership_services.so",
                                            "telesales_retention.so"));
}
#endif

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

TEST_F(PluginFileTrustTest, AcceptsACopyAndASymlinkInsideTheDirectory) {
  Copy("test_good_a.so");
  ASSERT_EQ(symlink("test_good_a.so", (dir_ + "/z_link.so").c_str()), 0);
  TrustOptions options;
  options.plugin_dirs = {dir_};
  auto files = ResolveTrustedPluginFiles(options);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[1].path, fs::canonical(dir_ + "/test_good_a.so").string());
}

TEST_F(PluginFileTrustTest, RefusesAWorldWritableFile) {
  const std::string file = Copy("test_good_a.so", "", 0646);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "the file is writable by others"));
  EXPECT_THAT(ResolvePath(file), RefusedWith(file, "the file is writable by others"));
}

TEST_F(PluginFileTrustTest, RefusesAGroupWritableFile) {
  const std::string file = Copy("test_good_a.so", "", 0664);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "the file is writable by its group"));
}

TEST_F(PluginFileTrustTest, RefusesAFileInAGroupOrWorldWritableDirectory) {
  const std::string file = Copy("test_good_a.so");
  ASSERT_EQ(chmod(dir_.c_str(), 0775), 0);
  EXPECT_THAT(ResolvePath(file), RefusedWith(file, "is writable by its group"));
  ASSERT_EQ(chmod(dir_.c_str(), 01777), 0);  // Sticky, like /tmp: still refused.
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "its directory " + fs::canonical(dir_).string() +
                                                  " is writable by others"));
}

TEST_F(PluginFileTrustTest, RefusesAFileOrDirectoryOwnedByAnotherUser) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown a file to nobody";
  const std::string file = Copy("test_good_a.so");
  ASSERT_EQ(chown(file.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "the file is owned by uid 65534, not by root"));
  TrustOptions options;  // Unless nobody is the server's user.
  options.plugin_dirs = {dir_};
  options.server_uid = kNobody;
  EXPECT_TRUE(ResolveTrustedPluginFiles(options).ok());

  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);
  ASSERT_EQ(chown(dir_.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(file, "its directory " + fs::canonical(dir_).string() +
                                                  " is owned by uid 65534"));
}

TEST_F(PluginFileTrustTest, RefusesASymlinkOutOfThePluginDirectory) {
  const std::string elsewhere = root_ + "/elsewhere";
  ASSERT_EQ(mkdir(elsewhere.c_str(), 0755), 0);
  const std::string target = Copy("test_good_a.so", elsewhere);
  ASSERT_EQ(symlink(target.c_str(), (dir_ + "/innocent.so").c_str()), 0);
  EXPECT_THAT(ResolveDir(),
              RefusedWith(dir_ + "/innocent.so",
                          "resolves to " + fs::canonical(target).string() +
                              ", outside the plugin directory " + fs::canonical(dir_).string()));
}

TEST_F(PluginFileTrustTest, RefusesADanglingSymlinkAndADirectoryNamedSo) {
  ASSERT_EQ(symlink("/no/such/file.so", (dir_ + "/dangling.so").c_str()), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(dir_ + "/dangling.so", "cannot be resolved"));
  ASSERT_EQ(unlink((dir_ + "/dangling.so").c_str()), 0);
  ASSERT_EQ(mkdir((dir_ + "/sub.so").c_str(), 0755), 0);
  EXPECT_THAT(ResolveDir(), RefusedWith(dir_ + "/sub.so", "is not a regular file"));
}

TEST_F(PluginFileTrustTest, RefusesBareNamesRelativePathsAndDotDot) {
  Copy("test_good_a.so");
  EXPECT_THAT(ResolvePath("test_good_a.so"), RefusedWith("test_good_a.so", "is a bare name"));
  EXPECT_THAT(ResolvePath("plugins/test_good_a.so"),
              RefusedWith("plugins/test_good_a.so", "is a relative path"));
  EXPECT_THAT(ResolvePath("./test_good_a.so"), RefusedWith("./test_good_a.so", "relative path"));
  const std::string dotdot = dir_ + "/../plugins/test_good_a.so";
  EXPECT_THAT(ResolvePath(dotdot), RefusedWith(dotdot, "has a \"..\" component"));
  EXPECT_THAT(ResolvePath(dir_ + "/missing.so"), RefusedWith("missing.so", "cannot be resolved"));
  EXPECT_THAT(ResolvePath(dir_), RefusedWith(dir_, "is not a regular file"));
}

TEST_F(PluginFileTrustTest, AnExplicitSymlinkIsUsedAsItResolves) {
  const std::string file = Copy("test_good_a.so");
  const std::string link = root_ + "/link.so";
  ASSERT_EQ(symlink(file.c_str(), link.c_str()), 0);
  TrustOptions options;
  options.plugin_paths = {link};
  auto files = ResolveTrustedPluginFiles(options);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->at(0).path, fs::canonical(file).string());
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
