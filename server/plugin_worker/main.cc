// escalation-plugin-host: loads exactly one department plugin and serves its
// C ABI to the server over the socket pair on --fd (frames of
// server/runtime/worker_protocol.h). Started by the server, one
// process per worker; it ends when the server closes its end. The plugin's
// bytes are the sealed image on --plugin_fd, the copy the server checked;
// --plugin names the file they came from, and is never opened.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/wire/fixed_texts.h"
#include "server/loading/loaded_plugin.h"
#include "server/runtime/worker_protocol.h"

namespace {

using escalation::host::LoadedPlugin;
using escalation::host::PluginImage;
using escalation::host::PluginMethod;
using escalation::host::RawAnswer;
namespace rt = escalation::runtime;

constexpr size_t kMaxRequestBytes = size_t{64} << 20;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressLimitUsable = false;  // ASan reserves terabytes of address space.
#else
constexpr bool kAddressLimitUsable = true;
#endif

// Whether this process's resident memory is over `limit` bytes. Checked
// after every call, so cheaply: the process's peak resident size (getrusage;
// RUSAGE_THREAD reports it too, without summing every thread's times) is
// never below the current one, and only when the peak is over the limit is
// the current size read from /proc/self/statm (kept open, read again from
// its start).
bool ResidentOver(size_t limit) {
  rusage usage{};
  if (getrusage(RUSAGE_THREAD, &usage) == 0 &&
      static_cast<size_t>(usage.ru_maxrss) * 1024 <= limit) {
    return false;
  }
  static const int statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  static const size_t page_bytes = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  char text[128];
  const ssize_t n = statm < 0 ? -1 : pread(statm, text, sizeof text - 1, 0);
  if (n <= 0) return false;
  text[n] = '\0';
  size_t pages_total = 0, pages_resident = 0;
  if (std::sscanf(text, "%zu %zu", &pages_total, &pages_resident) != 2) return false;
  return pages_resident * page_bytes > limit;
}

[[noreturn]] void Fail(int fd, const std::string& message) {
  rt::WriteFrame(fd, rt::FrameType::kFailed, message).IgnoreError();
  _exit(1);
}

bool Flag(const char* arg, const char* name, std::string* value) {
  if (!absl::StartsWith(arg, name)) return false;
  *value = arg + std::string(name).size();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string fd_text, image_fd_text, path;
  for (int i = 1; i < argc; ++i) {
    if (!Flag(argv[i], "--fd=", &fd_text) && !Flag(argv[i], "--plugin_fd=", &image_fd_text) &&
        !Flag(argv[i], "--plugin=", &path)) {
      std::fprintf(stderr, "escalation-plugin-host: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  int fd = -1, image_fd = -1;
  if (!absl::SimpleAtoi(fd_text, &fd) || fd < 0 || !absl::SimpleAtoi(image_fd_text, &image_fd) ||
      image_fd < 0 || path.empty()) {
    std::fprintf(stderr,
                 "escalation-plugin-host: started by escalation-server only "
                 "(--fd=N --plugin_fd=N --plugin=PATH)\n");
    return 2;
  }
  // Ends with the server, whatever way the server ends.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<std::shared_ptr<const PluginImage>> image = PluginImage::Adopt(image_fd, path);
  if (!image.ok()) Fail(fd, std::string(image.status().message()));
  absl::StatusOr<std::string> name = LoadedPlugin::PeekName(*image);
  if (!name.ok()) Fail(fd, std::string(name.status().message()));
  if (!rt::WriteFrame(fd, rt::FrameType::kHello, *name).ok()) _exit(1);

  rt::FrameReader reader;
  rt::Frame frame;
  if (!reader.Read(fd, absl::InfiniteFuture(), kMaxRequestBytes, &frame).ok()) _exit(1);
  size_t memory_limit = 0, max_response = 0;
  std::string config_bytes;
  google::protobuf::Struct config;
  if (frame.type != rt::FrameType::kConfig ||
      !rt::DecodeConfig(frame.payload, &memory_limit, &max_response, &config_bytes) ||
      !config.ParseFromString(config_bytes)) {
    Fail(fd, absl::StrCat("plugin ", path, ": the worker got no configuration"));
  }
  if (kAddressLimitUsable && memory_limit > 0) {
    // A backstop: the resident-memory check below normally acts first. The
    // slack covers address space that is mapped but never resident.
    const rlim_t limit = memory_limit + (size_t{256} << 20);
    const rlimit rl{limit, limit};
    setrlimit(RLIMIT_AS, &rl);
  }
  absl::StatusOr<std::unique_ptr<LoadedPlugin>> plugin =
      LoadedPlugin::Load(*image, config, /*config_path=*/"");
  if (!plugin.ok()) Fail(fd, std::string(plugin.status().message()));
  if (const auto* texts = (*plugin)->fixed_texts();
      texts != nullptr && !rt::WriteFrame(fd, rt::FrameType::kFixedTexts, texts->declared()).ok()) {
    _exit(1);
  }
  if (!rt::WriteFrame(fd, rt::FrameType::kReady, (*plugin)->info().SerializeAsString()).ok()) {
    _exit(1);
  }

  for (;;) {
    if (!reader.Read(fd, absl::InfiniteFuture(), kMaxRequestBytes, &frame).ok()) _exit(0);
    if (frame.type != rt::FrameType::kCall) _exit(3);
    RawAnswer answer = (*plugin)->CallRaw(static_cast<PluginMethod>(frame.tag),
                                          frame.payload, max_response);
    if (answer.too_large) {
      if (!rt::WriteFrame(fd, rt::FrameType::kTooLarge, rt::EncodeSize(answer.size)).ok()) {
        _exit(0);
      }
      continue;
    }
    const bool over_memory = memory_limit > 0 && ResidentOver(memory_limit);
    const auto type = over_memory ? rt::FrameType::kOverMemory : rt::FrameType::kAnswer;
    if (!rt::WriteFrame(fd, type, answer.bytes(), static_cast<uint8_t>(answer.status)).ok() ||
        over_memory) {
      _exit(over_memory ? 4 : 0);
    }
  }
}
