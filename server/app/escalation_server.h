// The escalation policy server: the three services over one PolicyEngine,
// plus grpc.health.v1 and server reflection. Tests start it in process on an
// ephemeral port; main() starts it from flags.
#ifndef ESCALATION_SERVER_APP_ESCALATION_SERVER_H_
#define ESCALATION_SERVER_APP_ESCALATION_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "server/plugin_host/policy_engine.h"
#include "server/services/policy_services.h"

namespace escalation::app {

struct ServerOptions {
  // host:port; port 0 picks a free one (see EscalationServer::port()).
  std::string listen_address = "localhost:50051";
  // Requests larger than this fail with RESOURCE_EXHAUSTED.
  int max_request_bytes = 1 << 20;
};

class EscalationServer {
 public:
  static absl::StatusOr<std::unique_ptr<EscalationServer>> Start(
      std::shared_ptr<const host::PolicyEngine> engine,
      const ServerOptions& options);

  int port() const { return port_; }

  // Drains: health turns NOT_SERVING, the listener stops accepting, every
  // accepted call is answered until `deadline`; what is still running then
  // is cancelled. Returns how many calls were cancelled (0 for a clean drain).
  int Shutdown(absl::Time deadline);
  // Blocks until Shutdown has completed.
  void Wait();

 private:
  EscalationServer(std::shared_ptr<const host::PolicyEngine> engine);

  services::CallTracker calls_;
  services::RoutingService routing_;
  services::TaskValidationService validation_;
  services::PluginService plugins_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_ESCALATION_SERVER_H_
