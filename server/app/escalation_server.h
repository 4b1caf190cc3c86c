// The escalation policy server: the three services over one PolicyEngine,
// plus grpc.health.v1 and server reflection. Tests start it in process on an
// ephemeral port; main() starts it from flags.
#ifndef ESCALATION_SERVER_APP_ESCALATION_SERVER_H_
#define ESCALATION_SERVER_APP_ESCALATION_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "server/app/tls.h"
#include "server/observability/call_observer.h"
#include "server/engine/policy_engine.h"
#include "server/services/policy_services.h"

namespace escalation::app {

// What one client connection may hold (gRPC channel arguments); a zero
// duration means no limit.
struct ConnectionLimits {
  absl::Duration max_idle = absl::ZeroDuration();
  absl::Duration max_age = absl::ZeroDuration();
  absl::Duration max_age_grace = absl::ZeroDuration();
  int max_concurrent_streams = 256;
};

struct ServerOptions {
  // host:port; port 0 picks a free one (see EscalationServer::port()).
  std::string listen_address = "localhost:50051";
  // Requests larger than this fail with RESOURCE_EXHAUSTED.
  int max_request_bytes = 1 << 20;
  // Plaintext unless files are given (tls.h).
  TlsFiles tls;
  // Metrics, decision log and failure logging for each call; may be null.
  const observability::CallObserver* observer = nullptr;
  ConnectionLimits connections;
};

// How a drain ended.
struct DrainResult {
  int cancelled = 0;     // Still running at the deadline: answered CANCELLED.
  int64_t answered = 0;  // Accepted calls answered after the drain began.
  int64_t refused = 0;   // Calls that arrived after it began: UNAVAILABLE.
};

class EscalationServer {
 public:
  static absl::StatusOr<std::unique_ptr<EscalationServer>> Start(
      std::shared_ptr<const host::PolicyEngine> engine,
      const ServerOptions& options);

  int port() const { return port_; }
  // The host part of the listen address; nullopt when it is not TCP.
  const std::optional<std::string>& host() const { return host_; }

  // Drains: health turns NOT_SERVING, the listener stops accepting, every
  // connection is told to go away (GOAWAY), every accepted call is answered
  // until `deadline`; what is still running then is cancelled. A call that
  // arrives once the drain has begun reaches no plugin: it is answered
  // UNAVAILABLE after the GOAWAY, which clients may retry elsewhere.
  // With a `lame_duck` period, health is NOT_SERVING for that long first
  // while calls are still accepted and answered.
  DrainResult Shutdown(absl::Time deadline, absl::Duration lame_duck = absl::ZeroDuration());
  // Blocks until Shutdown has completed.
  void Wait();
  // Health turns NOT_SERVING for every service name.
  void SetNotServing();

 private:
  EscalationServer(std::shared_ptr<const host::PolicyEngine> engine,
                   const observability::CallObserver* observer);

  services::CallTracker calls_;
  services::RoutingService routing_;
  services::TaskValidationService validation_;
  services::PluginService plugins_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::optional<std::string> host_;
};

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_ESCALATION_SERVER_H_
