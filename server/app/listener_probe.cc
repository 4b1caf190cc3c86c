#include "server/app/listener_probe.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace escalation::app {
namespace {

// gRPC accepts a connection within milliseconds; seconds is a deaf listener.
constexpr absl::Duration kProbeTimeout = absl::Seconds(3);

std::string ProbeHost(const std::string& host) {
  if (host.empty() || host == "0.0.0.0" || host == "*") return "127.0.0.1";
  if (host == "::" || host == "[::]") return "::1";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

// Waits for `events` on `fd` until `deadline`; false on timeout.
bool WaitFor(int fd, short events, absl::Time deadline) {
  for (;;) {
    const int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(ms));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // Let the caller see the error.
  }
}

}  // namespace

std::optional<std::string> ListenHost(absl::string_view listen_address) {
  if (absl::StartsWith(listen_address, "unix:") || absl::StartsWith(listen_address, "vsock:")) {
    return std::nullopt;
  }
  const size_t colon = listen_address.rfind(':');
  if (colon == absl::string_view::npos) return std::nullopt;
  return std::string(listen_address.substr(0, colon));
}

ListenerState ProbeListener(const std::string& host, int port, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(ProbeHost(host).c_str(), absl::StrCat(port).c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    return ListenerState::kNoSocket;
  }
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    freeaddrinfo(found);
    return ListenerState::kNoSocket;
  }
  int result = connect(fd, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  ListenerState state = ListenerState::kNoAnswer;
  if (result != 0 && errno == EINPROGRESS && WaitFor(fd, POLLOUT, deadline)) {
    socklen_t length = sizeof result;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &result, &length);
    if (result != 0) errno = result;
  }
  if (result != 0 && errno == ECONNREFUSED) {
    state = ListenerState::kRefuses;
  } else if (result == 0 || errno == EINPROGRESS) {
    // Connected: the probe says it has nothing to send (FIN). An accepted
    // connection, plaintext or TLS, then closes too; an unaccepted one
    // stays silent.
    if (shutdown(fd, SHUT_WR) == 0 && WaitFor(fd, POLLIN, deadline)) {
      state = ListenerState::kAccepts;
    }
  }
  close(fd);
  return state;
}

ListenerWatchdog::ListenerWatchdog(std::string host, int port, absl::Duration interval,
                                   int failures,
                                   std::function<void(const std::string& why)> on_deaf)
    : host_(std::move(host)),
      port_(port),
      interval_(interval),
      failures_(failures),
      on_deaf_(std::move(on_deaf)),
      thread_([this] { Run(); }) {}

ListenerWatchdog::~ListenerWatchdog() {
  stop_.Notify();
  thread_.join();
}

void ListenerWatchdog::Run() {
  int failed = 0;
  while (!stop_.WaitForNotificationWithTimeout(interval_)) {
    const ListenerState state =
        ProbeListener(host_, port_, std::min(interval_, kProbeTimeout));
    if (state == ListenerState::kAccepts) {
      failed = 0;
      continue;
    }
    // Out of descriptors the probe learns nothing of the listener: a server
    // busy at its limit is not deaf. Once some are free again, the probe
    // tells whether the listener survived.
    if (state == ListenerState::kNoSocket) continue;
    if (++failed < failures_ || stop_.HasBeenNotified()) continue;
    on_deaf_(absl::StrCat(
        "the listening port ", host_, ":", port_, " did not accept a connection in ", failed,
        " probes ", absl::FormatDuration(interval_), " apart (",
        state == ListenerState::kRefuses ? "connection refused" : "connected, never accepted",
        ")"));
    return;
  }
}

}  // namespace escalation::app
