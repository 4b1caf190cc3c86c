// escalation-echo-server: the floor the real server is measured against. It is
// built from the same gRPC and registered the same way (callback API, a raw
// RoutingService.Route, health and reflection on), and answers each request
// with response bytes it was given, doing no policy work at all.
//   escalation-echo-server --listen=127.0.0.1:0 --responses=FILE
// FILE holds (request, response) pairs, each a 4-byte little-endian length and
// the bytes (written by escalation-bench from the real server's answers).
// A request not in FILE gets NOT_FOUND.
#include <cstdio>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "escalation/v1/service.grpc.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "tools/bench/pairs_file.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:0", "Address to listen on (port 0: a free one)");
ABSL_FLAG(std::string, responses, "", "File of (request, response) byte pairs");
ABSL_FLAG(int, max_request_bytes, 1 << 20, "Largest request accepted");

namespace {

namespace v1 = escalation::v1;
using Answers = absl::flat_hash_map<std::string, std::string>;

class EchoRouting final
    : public v1::RoutingService::WithRawCallbackMethod_Route<v1::RoutingService::Service> {
 public:
  explicit EchoRouting(Answers answers) : answers_(std::move(answers)) {}

  grpc::ServerUnaryReactor* Route(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    grpc::Slice bytes;
    if (!request->DumpToSingleSlice(&bytes).ok()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unreadable"));
      return reactor;
    }
    auto answer = answers_.find(absl::string_view(
        reinterpret_cast<const char*>(bytes.begin()), bytes.size()));
    if (answer == answers_.end()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "no configured response for these request bytes"));
      return reactor;
    }
    // A fresh buffer per call, as a service writing its answer would have.
    grpc::Slice out(answer->second.data(), answer->second.size());
    *response = grpc::ByteBuffer(&out, 1);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const Answers answers_;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "escalation-echo-server: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "A bare gRPC server answering configured RoutingService.Route responses.");
  absl::ParseCommandLine(argc, argv);
  // As escalation-server does: Debian's Abseil runs its mutex deadlock
  // detector on every lock gRPC takes, and a floor that pays for it would
  // flatter the server.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto pairs = escalation::bench::ReadPairs(absl::GetFlag(FLAGS_responses));
  if (!pairs.ok()) return Fail(std::string(pairs.status().message()));
  Answers answers;
  for (auto& [request, response] : *pairs) answers[request] = response;

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  EchoRouting routing(std::move(answers));
  grpc::ServerBuilder builder;
  int port = 0;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_request_bytes));
  builder.RegisterService(&routing);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) return Fail("cannot listen on " + listen);
  server->GetHealthCheckService()->SetServingStatus(true);
  std::fprintf(stderr, "escalation-echo-server: %zu responses; listening on %s (port %d)\n",
               pairs->size(), listen.c_str(), port);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  server->Shutdown();
  server->Wait();
  return 0;
}
