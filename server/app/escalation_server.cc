#include "server/app/escalation_server.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace escalation::app {

EscalationServer::EscalationServer(std::shared_ptr<const host::PolicyEngine> engine)
    : routing_(engine, &calls_), validation_(engine, &calls_), plugins_(engine, &calls_) {}

absl::StatusOr<std::unique_ptr<EscalationServer>> EscalationServer::Start(
    std::shared_ptr<const host::PolicyEngine> engine,
    const ServerOptions& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<EscalationServer> server(new EscalationServer(std::move(engine)));
  grpc::ServerBuilder builder;
  // The service is for internal callers on a trusted network; TLS is not
  // configured yet.
  builder.AddListeningPort(options.listen_address,
                           grpc::InsecureServerCredentials(), &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  builder.RegisterService(&server->routing_);
  builder.RegisterService(&server->validation_);
  builder.RegisterService(&server->plugins_);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address));
  }
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const char* service :
       {v1::RoutingService::service_full_name(),
        v1::TaskValidationService::service_full_name(),
        v1::PluginService::service_full_name()}) {
    health->SetServingStatus(service, true);
  }
  return server;
}

int EscalationServer::Shutdown(absl::Time deadline) {
  server_->GetHealthCheckService()->SetServingStatus(false);
  // gRPC stops listening, sends GOAWAY and waits for the calls it accepted.
  // What is still open at the deadline is answered here, so the drain does
  // not wait on plugins that will not answer in time.
  std::thread drain([this, deadline] { server_->Shutdown(absl::ToChronoTime(deadline)); });
  int cancelled = 0;
  if (calls_.WaitIdle(deadline) > 0) {
    cancelled = calls_.AbandonAll(grpc::Status(
        grpc::StatusCode::CANCELLED,
        "the server shut down before this call was answered (drain timeout)"));
  }
  drain.join();
  return cancelled;
}

void EscalationServer::Wait() { server_->Wait(); }

}  // namespace escalation::app
