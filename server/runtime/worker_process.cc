#include "server/runtime/worker_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "server/wire/fixed_texts.h"

extern char** environ;

namespace escalation::runtime {
namespace {

// The bound on an answer frame's payload: the answer bound, with the room
// the payload's own fields once took (kept, so the bound stays as it was).
constexpr size_t kFrameOverhead = 16;
constexpr size_t kHandshakeBytes = size_t{16} << 20;

absl::Status StartError(const std::string& path, absl::string_view reason) {
  return absl::FailedPreconditionError(absl::StrCat("plugin ", path, ": ", reason));
}

std::string DescribeWaitStatus(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = sigabbrev_np(sig);
    return absl::StrCat("killed by signal ", sig, " (SIG", abbrev ? abbrev : "?", ", ",
                        strsignal(sig), ")");
  }
  if (WIFEXITED(status)) return absl::StrCat("exited with status ", WEXITSTATUS(status));
  return absl::StrCat("ended with wait status ", status);
}

}  // namespace

absl::StatusOr<std::unique_ptr<WorkerProcess>> WorkerProcess::Start(
    const WorkerOptions& options, const ConfigLookup& config_for) {
  absl::StatusOr<std::unique_ptr<WorkerProcess>> worker = Spawn(options);
  if (!worker.ok()) return worker.status();
  if (absl::Status s = (*worker)->Configure(config_for); !s.ok()) return s;
  return worker;
}

absl::StatusOr<std::unique_ptr<WorkerProcess>> WorkerProcess::Spawn(
    const WorkerOptions& options) {
  const std::string& path = options.plugin_path;
  if (options.plugin_image == nullptr) return StartError(path, "no plugin image to load");
  // Numbered above 4, so that neither dup2 below overwrites it before its turn.
  const int image = fcntl(options.plugin_image->fd(), F_DUPFD_CLOEXEC, 5);
  if (image < 0) {
    return StartError(path, absl::StrCat("cannot pass on its image: ", std::strerror(errno)));
  }
  const absl::Cleanup close_image = [image] { close(image); };
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return StartError(path, absl::StrCat("cannot make a socket pair: ", std::strerror(errno)));
  }
  // The worker's end becomes its fd 3, the image its fd 4 (dup2 clears
  // close-on-exec).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 3);
  posix_spawn_file_actions_adddup2(&actions, image, 4);
  std::vector<std::string> args = {options.worker_binary, "--fd=3", "--plugin_fd=4",
                                   absl::StrCat("--plugin=", path)};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, options.worker_binary.c_str(), &actions,
                                  nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    return StartError(path, absl::StrCat("cannot start the plugin worker ",
                                         options.worker_binary, ": ",
                                         std::strerror(spawned)));
  }
  std::unique_ptr<WorkerProcess> worker(new WorkerProcess(pid, fds[0]));
  worker->path_ = path;
  worker->startup_timeout_ = options.startup_timeout;
  worker->startup_deadline_ = absl::Now() + options.startup_timeout;
  return worker;
}

absl::Status WorkerProcess::Configure(const ConfigLookup& config_for) {
  const std::string& path = path_;
  auto handshake_failed = [&](const absl::Status& read) {
    const bool timed_out = absl::IsDeadlineExceeded(read);
    const std::string ended = Reap(/*kill_first=*/true);
    return StartError(path, timed_out
        ? absl::StrCat("the plugin worker did not start within ",
                       absl::FormatDuration(startup_timeout_))
        : absl::StrCat("the plugin worker ", ended, " while loading the plugin"));
  };
  Frame frame;
  auto read = [&] { return reader_.Read(fd_, startup_deadline_, kHandshakeBytes, &frame); };
  if (absl::Status s = read(); !s.ok()) return handshake_failed(s);
  if (frame.type == FrameType::kFailed) return absl::FailedPreconditionError(frame.payload);
  if (frame.type != FrameType::kHello) return StartError(path, "the plugin worker broke the protocol");

  absl::StatusOr<PluginConfig> config = config_for(frame.payload);
  if (!config.ok()) return config.status();
  limits_ = config->limits;
  if (absl::Status s = WriteFrame(
          fd_, FrameType::kConfig,
          EncodeConfig(config->limits, config->config.SerializeAsString()));
      !s.ok()) {
    return handshake_failed(s);
  }
  if (absl::Status s = read(); !s.ok()) return handshake_failed(s);
  if (frame.type == FrameType::kFailed) {
    // The loader's message, naming the file; the configuration file too.
    return absl::FailedPreconditionError(
        config->path.empty() || frame.payload.find(config->path) != std::string::npos
            ? frame.payload
            : absl::StrCat(frame.payload, " (configuration ", config->path, ")"));
  }
  std::string fixed_texts;
  if (frame.type == FrameType::kFixedTexts) {
    fixed_texts = std::move(frame.payload);
    if (absl::Status s = read(); !s.ok()) return handshake_failed(s);
  }
  if (frame.type != FrameType::kReady || !info_.ParseFromString(frame.payload)) {
    return StartError(path, "the plugin worker sent a manifest that does not parse");
  }
  info_.set_path(path);
  info_.set_config_path(config->path);
  // Checked here, as the bytes arrived: the worker's own check is the plugin's process's.
  if (!fixed_texts.empty()) {
    absl::StatusOr<std::shared_ptr<const host::FixedTexts>> texts =
        host::FixedTexts::Make(path, info_.manifest().name(), std::move(fixed_texts));
    if (!texts.ok()) {
      Reap(/*kill_first=*/true);
      return texts.status();
    }
    fixed_texts_ = *std::move(texts);
  }
  return absl::OkStatus();
}

WorkerProcess::~WorkerProcess() {
  if (pid_ > 0) Reap(/*kill_first=*/true);
}

std::string WorkerProcess::Reap(bool kill_first) {
  if (pid_ <= 0) return "already ended";
  if (kill_first) kill(pid_, SIGKILL);
  close(fd_);
  fd_ = -1;
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid_, &status, 0);
  } while (got < 0 && errno == EINTR);
  pid_ = -1;
  if (got >= 0 && WIFSIGNALED(status)) ended_by_signal_ = WTERMSIG(status);
  return got < 0 ? "could not be reaped" : DescribeWaitStatus(status);
}

void WorkerProcess::ReapInto(bool kill_first, Result* result) {
  result->cause = absl::StrCat(result->cause, Reap(kill_first));
  result->signal = ended_by_signal_;
}

bool WorkerProcess::EndedWhileIdle(Result* ended) {
  if (fd_ < 0) {
    ended->outcome = Outcome::kDied;
    ended->cause = "already ended";
    return true;
  }
  pollfd idle = {fd_, POLLIN | POLLRDHUP, 0};
  if (poll(&idle, 1, 0) <= 0) return false;
  // An idle worker has nothing to say: readable means it ended or broke the
  // protocol. Either way it is killed (if still running) and reaped.
  ended->outcome = Outcome::kDied;
  ReapInto(/*kill_first=*/true, ended);
  return true;
}

absl::Status WorkerProcess::Send(absl::Span<const Request> requests, size_t* sent) {
  *sent = 0;
  if (fd_ < 0) return absl::UnavailableError("the worker is gone");
  absl::InlinedVector<OutFrame, 8> frames;
  for (const Request& r : requests) {
    frames.push_back({FrameType::kCall, static_cast<uint8_t>(r.method), r.bytes});
  }
  return WriteFrames(fd_, frames, sent);
}

WorkerProcess::Result WorkerProcess::Receive(absl::Time deadline) {
  Result result;
  if (fd_ < 0) {
    result.outcome = Outcome::kDied;
    result.cause = "already ended";
    return result;
  }
  Frame frame;
  const absl::Status io =
      reader_.Read(fd_, deadline, limits_.max_response_bytes + kFrameOverhead, &frame);
  if (absl::IsDeadlineExceeded(io)) {
    result.outcome = Outcome::kTimedOut;
    result.cause = "hung past the deadline; ";
    ReapInto(true, &result);
    return result;
  }
  if (!io.ok()) {
    result.outcome = Outcome::kDied;
    // A worker that breaks the protocol is killed; one that ended is reaped.
    const bool ended = absl::IsUnavailable(io);
    if (!ended) result.cause = absl::StrCat(io.message(), "; ");
    ReapInto(/*kill_first=*/!ended, &result);
    return result;
  }
  switch (frame.type) {
    case FrameType::kTooLarge: {
      result.outcome = Outcome::kAnswered;
      result.answer.too_large = true;
      result.answer.size = DecodeSize(frame.payload);
      return result;
    }
    case FrameType::kAnswer:
    case FrameType::kOverMemory:
      result.outcome = frame.type == FrameType::kAnswer ? Outcome::kAnswered
                                                        : Outcome::kOverMemory;
      result.answer.status = static_cast<EscStatus>(frame.tag);
      result.answer.received = std::move(frame.payload);
      result.answer.size = result.answer.received.size();
      if (result.outcome == Outcome::kOverMemory) {
        result.cause = "went over its memory limit; ";
        ReapInto(false, &result);
      }
      return result;
    default:
      result.outcome = Outcome::kDied;
      result.cause = "sent a broken answer; ";
      ReapInto(true, &result);
      return result;
  }
}

}  // namespace escalation::runtime
