// One escalation-plugin-host process serving one plugin over a socket pair,
// as the server sees it: started, configured, sent calls (several at once,
// answered in order), killed when it hangs, and asked how it ended.
#ifndef ESCALATION_SERVER_RUNTIME_WORKER_PROCESS_H_
#define ESCALATION_SERVER_RUNTIME_WORKER_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/struct.pb.h"
#include "server/loading/loaded_plugin.h"
#include "server/loading/plugin_image.h"
#include "server/runtime/plugin_limits.h"
#include "server/runtime/worker_protocol.h"

namespace escalation::runtime {

using host::PluginMethod;

// A plugin's configuration and limits, found by the plugin's name.
struct PluginConfig {
  google::protobuf::Struct config;
  std::string path;  // "" when the plugin has none.
  PluginLimits limits;
};
using ConfigLookup =
    std::function<absl::StatusOr<PluginConfig>(const std::string& plugin_name)>;

struct WorkerOptions {
  std::string worker_binary;  // escalation-plugin-host
  // The bytes every worker loads: each is given the image's descriptor, and
  // never opens the file. plugin_path names the file in messages.
  std::shared_ptr<const host::PluginImage> plugin_image;
  std::string plugin_path;
  absl::Duration startup_timeout = absl::Seconds(10);
};

class WorkerProcess {
 public:
  // Starts a worker, finds the plugin's configuration by the name the worker
  // reports, and waits until the plugin is configured. Errors name the plugin
  // file and the reason, as the in-process loader's do.
  static absl::StatusOr<std::unique_ptr<WorkerProcess>> Start(
      const WorkerOptions& options, const ConfigLookup& config_for);
  // Start in two steps, so that many workers start side by side: Spawn runs
  // the process and returns at once; Configure then waits for it (within
  // options.startup_timeout of the spawn). A worker is killed when the thread
  // that spawned it ends (PR_SET_PDEATHSIG), so spawn from a thread that
  // outlives it. After a failed Configure the worker is gone.
  static absl::StatusOr<std::unique_ptr<WorkerProcess>> Spawn(const WorkerOptions& options);
  absl::Status Configure(const ConfigLookup& config_for);
  ~WorkerProcess();  // Kills and reaps the worker.
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  // What the plugin reported at start (path and config_path set).
  const v1::PluginInfo& info() const { return info_; }
  const PluginLimits& limits() const { return limits_; }
  // The fixed texts the plugin declared (ABI 1.1), checked; null for none.
  const std::shared_ptr<const host::FixedTexts>& fixed_texts() const { return fixed_texts_; }
  pid_t pid() const { return pid_; }
  // The socket to the worker (-1 once it is gone): readable when it answers
  // or ends.
  int fd() const { return fd_; }

  enum class Outcome {
    kAnswered,    // `answer` holds the plugin's answer
    kOverMemory,  // answered, and the worker is gone: over its memory limit
    kTimedOut,    // no answer by the deadline: the worker has been killed
    kDied,        // the worker ended (or broke the protocol) and was reaped
  };
  struct Result {
    Outcome outcome;
    host::RawAnswer answer;
    // For kTimedOut and kDied: how the worker ended, for the log and caller.
    std::string cause;
    int signal = 0;  // The signal that ended it, if one did.
  };
  // Calls in two halves, so that several can wait in the worker: it reads
  // them in order and answers each in turn. Send writes them with one
  // write; it fails only when the worker is gone or broken, and `*sent` then
  // says how many went out whole (Receive says how the worker ended).
  struct Request {
    PluginMethod method;
    absl::string_view bytes;
  };
  absl::Status Send(absl::Span<const Request> requests, size_t* sent);
  // The answer to the oldest call sent and not yet answered, waited for
  // until `deadline` (then the worker is killed: kTimedOut). After any
  // outcome but kAnswered the worker is gone.
  Result Receive(absl::Time deadline);
  // For a worker with no call outstanding: whether it has ended (or written
  // unasked, which breaks the protocol: it is killed). Then it is gone, and
  // `*ended` says how. Does not wait.
  bool EndedWhileIdle(Result* ended);

 private:
  WorkerProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  // Kills (if still running) and reaps; returns how it ended.
  std::string Reap(bool kill_first);
  // Reap's answer and the signal that ended the worker.
  void ReapInto(bool kill_first, Result* result);

  pid_t pid_;
  int fd_;
  int ended_by_signal_ = 0;  // Set by Reap.
  FrameReader reader_;
  std::string path_;
  absl::Duration startup_timeout_;
  absl::Time startup_deadline_;
  PluginLimits limits_;
  v1::PluginInfo info_;
  std::shared_ptr<const host::FixedTexts> fixed_texts_;
};

}  // namespace escalation::runtime

#endif  // ESCALATION_SERVER_RUNTIME_WORKER_PROCESS_H_
