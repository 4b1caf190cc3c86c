#include "server/app/escalation_server.h"

#include <grpc/grpc.h>

#include <algorithm>
#include <climits>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "server/app/listener_probe.h"

namespace escalation::app {
namespace {

// Once calls and answers are held, how long no new call must arrive before
// gRPC's shutdown begins: calls a client sent on answers it had already
// received arrive within this (on loopback, well under 1 ms each).
constexpr absl::Duration kQuietBeforeShutdown = absl::Milliseconds(50);
constexpr absl::Duration kQuietWaitLimit = absl::Seconds(1);
// How long a drain waits for gRPC to close the listening port, as a sign it
// has sent every connection its GOAWAY.
constexpr absl::Duration kListenerCloseWait = absl::Seconds(2);
// Then a margin for those GOAWAY frames to be written ahead of the answers
// to calls held meanwhile (each transport writes in order).
constexpr absl::Duration kGoawayMargin = absl::Milliseconds(100);
// The held answers go out, then the last one of each connection this much
// later (call_tracker.h): HAProxy read a burst of 8 in about 2 ms on
// loopback; the margin holds on a loaded machine.
constexpr absl::Duration kLastAnswerDelay = absl::Milliseconds(50);
// Once every accepted call is answered, how long connections get to close
// by themselves before they are closed: an idle client acknowledges the
// GOAWAY only when it next polls (gRPC's backup poller: every 5 s).
constexpr absl::Duration kConnectionCloseGrace = absl::Milliseconds(500);

int Milliseconds(absl::Duration d) {
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(d), INT_MAX));
}

void AddConnectionLimits(const ConnectionLimits& limits, grpc::ServerBuilder* builder) {
  // A second server on a port in use fails to start instead of sharing it.
  builder->AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (limits.max_idle > absl::ZeroDuration()) {
    builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, Milliseconds(limits.max_idle));
  }
  if (limits.max_age > absl::ZeroDuration()) {
    builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, Milliseconds(limits.max_age));
    builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                                Milliseconds(limits.max_age_grace));
  }
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, limits.max_concurrent_streams);
}

}  // namespace

EscalationServer::EscalationServer(std::shared_ptr<const host::PolicyEngine> engine,
                                   const observability::CallObserver* observer)
    : routing_(engine, &calls_, observer),
      validation_(engine, &calls_, observer),
      plugins_(engine, &calls_, observer) {}

absl::StatusOr<std::unique_ptr<EscalationServer>> EscalationServer::Start(
    std::shared_ptr<const host::PolicyEngine> engine,
    const ServerOptions& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  auto credentials = ServerCredentialsFor(options.tls);
  if (!credentials.ok()) return credentials.status();
  std::unique_ptr<EscalationServer> server(new EscalationServer(std::move(engine), options.observer));
  server->host_ = ListenHost(options.listen_address);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, *credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_request_bytes);
  AddConnectionLimits(options.connections, &builder);
  builder.RegisterService(&server->routing_);
  builder.RegisterService(&server->validation_);
  builder.RegisterService(&server->plugins_);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    std::string why = "the port is in use or the address is not this machine's";
    const size_t colon = options.listen_address.rfind(':');
    int port = 0;
    if (server->host_.has_value() && colon != std::string::npos &&
        absl::SimpleAtoi(options.listen_address.substr(colon + 1), &port) && port > 0 &&
        ProbeListener(*server->host_, port, absl::Seconds(1)) == ListenerState::kAccepts) {
      why = "another server already listens on that port";
    }
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address, ": ", why));
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

void EscalationServer::SetNotServing() {
  server_->GetHealthCheckService()->SetServingStatus(false);
}

DrainResult EscalationServer::Shutdown(absl::Time deadline, absl::Duration lame_duck) {
  // Every service name turns NOT_SERVING; callers still get answers for
  // `lame_duck`, while load balancers notice and move away.
  SetNotServing();
  absl::SleepFor(lame_duck);
  // gRPC cancels a call that arrives after its shutdown began, so until it
  // has sent every connection a GOAWAY no answer goes out (call_tracker.h):
  // calls are still evaluated, their answers wait. A client that sends its
  // next call on an answer sends it after the GOAWAY, elsewhere; a call that
  // reaches a handler after that is refused UNAVAILABLE.
  calls_.StartDrain();
  calls_.WaitQuiet(kQuietBeforeShutdown, absl::Now() + kQuietWaitLimit);
  absl::Notification stopped;
  std::thread drain([this, deadline, &stopped] {
    server_->Shutdown(absl::ToChronoTime(deadline));
    stopped.Notify();
  });
  if (host_.has_value()) {
    const absl::Time give_up = absl::Now() + kListenerCloseWait;
    while (absl::Now() < give_up &&
           ProbeListener(*host_, port_, absl::Milliseconds(100)) != ListenerState::kRefuses) {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }
  absl::SleepFor(kGoawayMargin);
  calls_.ReleaseHeld(kLastAnswerDelay);
  // What is still open at the deadline is answered here, so the drain does
  // not wait on plugins that will not answer in time.
  DrainResult result;
  if (calls_.WaitIdle(deadline) > 0) {
    result.cancelled = calls_.AbandonAll(grpc::Status(
        grpc::StatusCode::CANCELLED,
        "the server shut down before this call was answered (drain timeout)"));
  }
  // Every call is answered: connections still open (idle clients that have
  // not read their GOAWAY, health watches) must not hold the exit up.
  if (!stopped.WaitForNotificationWithTimeout(kConnectionCloseGrace)) {
    grpc_server_cancel_all_calls(server_->c_server());
  }
  drain.join();
  const services::CallTracker::DrainCounts counts = calls_.drain_counts();
  result.answered = counts.answered;
  result.refused = counts.refused;
  return result;
}

void EscalationServer::Wait() { server_->Wait(); }

}  // namespace escalation::app
