// Replicas are interchangeable: three servers on loopback, one client channel
// with round_robin over all three, a stream of calls from four threads, and
// one replica sent SIGTERM in the middle. Every call must be answered OK and
// every replica must give the same decision for the same request.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

// A varied set of requests, each with a fixed evaluation instant so that any
// replica must reach the same decision.
std::vector<v1::RouteRequest> Requests() {
  const std::pair<v1::Department, v1::Reason> cases[] = {
      {v1::CUSTOMER_SERVICE, v1::CANCEL_CONTRACT},
      {v1::CUSTOMER_SERVICE, v1::SUPERVISOR_REQUEST},
      {v1::CUSTOMER_SERVICE, v1::MEDICAL_EMERGENCY},
      {v1::CUSTOMER_SERVICE, v1::COVERAGE_QUESTION},
      {v1::TELESALES_RETENTION, v1::SUPERVISOR_REQUEST},
      {v1::MEMBERSHIP_SERVICES, v1::CANCEL_CONTRACT},
      {v1::CUSTOMER_SERVICE, v1::CLAIM_CREDIT_DISPUTE},
      {v1::CUSTOMER_SERVICE, v1::ATTORNEY_CALL}};
  std::vector<v1::RouteRequest> requests;
  for (int hour : {3, 15}) {
    for (const auto& [department, reason] : cases) {
      v1::RouteRequest request;
      request.mutable_call()->set_department(department);
      request.mutable_call()->add_reasons(reason);
      request.mutable_call()->set_site("Tampa");
      request.mutable_evaluation_time()->set_seconds(1795392000 + hour * 3600);
      requests.push_back(request);
    }
  }
  return requests;
}

std::string Deterministic(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

TEST(ReplicaTest, ThreeReplicasBehindRoundRobinAnswerAlikeAndOneCanLeave) {
  std::vector<test::ServerProcess> replicas;
  std::vector<std::string> addresses;
  for (int i = 0; i < 3; ++i) {
    auto replica = test::ServerProcess::Start(
        {"--plugin_dir=" ESCALATION_PLUGIN_DIR, "--drain_lame_duck=1s"});
    ASSERT_TRUE(replica.ok()) << replica.status();
    addresses.push_back(replica->address());
    replicas.push_back(*std::move(replica));
  }
  grpc::ChannelArguments args;
  // round_robin over every address, and client-side health checking: a
  // replica that turns NOT_SERVING (its lame duck, before the drain) gets no
  // new calls. Without it, a call that reaches a replica just as gRPC shuts
  // its listener down can be cancelled before the service ever sees it.
  args.SetServiceConfigJSON(R"({
    "loadBalancingConfig": [{"round_robin": {}}],
    "healthCheckConfig": {"serviceName": "escalation.v1.RoutingService"}
  })");
  auto channel = grpc::CreateCustomChannel("ipv4:" + absl::StrJoin(addresses, ","),
                                           grpc::InsecureChannelCredentials(), args);
  auto stub = v1::RoutingService::NewStub(channel);

  const std::vector<v1::RouteRequest> requests = Requests();
  constexpr int kThreads = 4;
  constexpr int kCallsBefore = 400;  // Before SIGTERM, and again after the replica exits.
  std::mutex mu;
  std::map<std::string, int> calls_by_replica;               // peer -> answers
  std::map<size_t, std::set<std::string>> decisions;        // request -> distinct answers
  std::map<size_t, std::set<std::string>> replicas_of;      // request -> peers that answered
  std::vector<std::string> failures;
  std::atomic<int> done{0};
  std::atomic<bool> stop{false};

  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&, t] {
      for (size_t i = t; !stop.load(); i += kThreads) {
        const size_t which = i % requests.size();
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        v1::RouteResponse response;
        const grpc::Status status = stub->Route(&context, requests[which], &response);
        std::lock_guard<std::mutex> lock(mu);
        if (!status.ok()) {
          failures.push_back(absl::StrCat(status.error_code(), " ", status.error_message()));
        } else {
          ++calls_by_replica[context.peer()];
          decisions[which].insert(Deterministic(response));
          replicas_of[which].insert(context.peer());
        }
        ++done;
      }
    });
  }
  auto wait_for_calls = [&](int n) {
    while (done.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  wait_for_calls(kCallsBefore);
  const std::string leaving = "ipv4:" + addresses[1];
  int answered_by_leaving_before = 0;
  {
    std::lock_guard<std::mutex> lock(mu);
    answered_by_leaving_before = calls_by_replica[leaving];
  }
  replicas[1].Signal(SIGTERM);
  // The calls go on through its lame duck and drain, until it has exited,
  // and for as many calls again after.
  EXPECT_EQ(replicas[1].Wait(), 0) << replicas[1].output();
  const int at_exit = done.load();
  wait_for_calls(at_exit + kCallsBefore);
  stop = true;
  for (std::thread& client : clients) client.join();
  const int total = done.load();
  EXPECT_THAT(failures, ::testing::IsEmpty());
  int answered = 0;
  for (const auto& [peer, count] : calls_by_replica) {
    std::cout << "replica " << peer << ": " << count << " calls answered\n";
    answered += count;
  }
  std::cout << "total " << answered << " of " << total << " OK; replica " << leaving
            << " had answered " << answered_by_leaving_before << " when SIGTERM was sent; "
            << at_exit << " calls made when it exited; failures " << failures.size() << "\n";
  EXPECT_EQ(answered, total);
  EXPECT_EQ(calls_by_replica.size(), 3u) << "round_robin reached every replica";
  EXPECT_GT(answered_by_leaving_before, 0);
  size_t compared_across = 0;
  for (const auto& [which, distinct] : decisions) {
    EXPECT_EQ(distinct.size(), 1u) << "request " << which << " got "
                                   << distinct.size() << " different decisions";
    if (replicas_of[which].size() >= 2) ++compared_across;
  }
  std::cout << requests.size() << " distinct requests, " << compared_across
            << " answered by two or more replicas, all identical\n";
  EXPECT_EQ(compared_across, requests.size());
}

}  // namespace
}  // namespace escalation
