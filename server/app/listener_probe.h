// Whether the server's own listening port still accepts connections, seen
// from inside the process: a new TCP connection that closes its sending side
// at once is closed by the server too, but only once gRPC has accepted it. A
// connection the kernel queued but no one accepts gets no answer: that is a
// deaf listener (after accept() failed with EMFILE, gRPC 1.51 stops
// accepting for good).
#ifndef ESCALATION_SERVER_APP_LISTENER_PROBE_H_
#define ESCALATION_SERVER_APP_LISTENER_PROBE_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace escalation::app {

enum class ListenerState {
  kAccepts,    // Accepted: something came back.
  kRefuses,    // Nothing listens (connection refused): the port is closed.
  kNoAnswer,   // Connected, but no answer in time: no one accepts.
  kNoSocket,   // This process could not open a socket (no file descriptor left).
};

// One probe of `host`:`port` (a wildcard host, as in 0.0.0.0 or [::], is
// probed on loopback), waiting at most `timeout` for an answer.
ListenerState ProbeListener(const std::string& host, int port, absl::Duration timeout);

// The host part of a gRPC listen address ("host:port", "[v6]:port");
// nullopt for addresses that are not TCP (unix:...).
std::optional<std::string> ListenHost(absl::string_view listen_address);

// Probes the listener every `interval`; after `failures` probes in a row
// that were not answered, calls `on_deaf` once (with what was seen) and stops.
class ListenerWatchdog {
 public:
  ListenerWatchdog(std::string host, int port, absl::Duration interval, int failures,
                   std::function<void(const std::string& why)> on_deaf);
  ~ListenerWatchdog();  // Stops probing.

 private:
  void Run();

  const std::string host_;
  const int port_;
  const absl::Duration interval_;
  const int failures_;
  const std::function<void(const std::string&)> on_deaf_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_LISTENER_PROBE_H_
