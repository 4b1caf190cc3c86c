// The server over TLS and mutual TLS, with certificates made for the test by
// openssl: who gets an answer and who is refused in the handshake.
#include <chrono>
#include <unistd.h>

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/paths.h"
#include "tests/ops/http_get.h"
#include "tests/support/server_process.h"
#include "tools/lib/client_tls.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/tls_test_certs_" +
                           std::to_string(getpid()));
    const std::string command =
        std::string(ESCALATION_OPS_SOURCE_DIR) + "/make_test_certs.sh " + *dir_;
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(*dir_); }
  static std::string File(const std::string& name) { return *dir_ + "/" + name; }

  static absl::StatusOr<test::ServerProcess> StartServer(
      bool mutual, const std::vector<std::string>& more = {}) {
    std::vector<std::string> args = {"--plugins=" + test::TestPlugin("test_good_a.so"),
                                     "--tls_cert=" + File("server.pem"),
                                     "--tls_key=" + File("server.key")};
    if (mutual) args.push_back("--tls_client_ca=" + File("ca.pem"));
    args.insert(args.end(), more.begin(), more.end());
    return test::ServerProcess::Start(args);
  }

  // ListPlugins over a channel with `tls`; the call's status.
  static grpc::Status Call(const test::ServerProcess& server, const tools::ClientTls& tls,
                           const std::string& host = "localhost") {
    auto channel = tools::Connect(host + ":" + std::to_string(server.port()), tls);
    EXPECT_TRUE(channel.ok()) << channel.status();
    if (!channel.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, "no channel");
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::ListPluginsResponse response;
    grpc::Status status = v1::PluginService::NewStub(*channel)->ListPlugins(
        &context, v1::ListPluginsRequest(), &response);
    if (status.ok()) {
      EXPECT_EQ(response.plugins_size(), 1);
    }
    return status;
  }

  static inline std::string* dir_ = nullptr;
};

TEST_F(TlsTest, AClientThatTrustsTheCaGetsAnAnswerByNameAndByAddress) {
  auto server = StartServer(/*mutual=*/false);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT(server->output(), HasSubstr("\"tls\":true,\"mutual_tls\":false"));
  EXPECT_TRUE(Call(*server, {File("ca.pem"), "", "", ""}).ok());
  EXPECT_TRUE(Call(*server, {File("ca.pem"), "", "", ""}, "127.0.0.1").ok());
}

TEST_F(TlsTest, PlaintextIsRefused) {
  auto server = StartServer(/*mutual=*/false);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(Call(*server, {}).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, AServerCertificateFromAnotherCaIsRefused) {
  auto server = StartServer(/*mutual=*/false);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(Call(*server, {File("other_ca.pem"), "", "", ""}).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsAnswersAClientWithACertificateFromTheClientCa) {
  auto server = StartServer(/*mutual=*/true);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT(server->output(), HasSubstr("\"mutual_tls\":true"));
  EXPECT_TRUE(Call(*server, {File("ca.pem"), File("client.pem"), File("client.key"), ""}).ok());
}

TEST_F(TlsTest, MutualTlsRefusesAClientWithoutACertificate) {
  auto server = StartServer(/*mutual=*/true);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(Call(*server, {File("ca.pem"), "", "", ""}).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, MutualTlsRefusesAClientCertificateFromAnotherCa) {
  auto server = StartServer(/*mutual=*/true);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(Call(*server, {File("ca.pem"), File("other_client.pem"), File("other_client.key"), ""})
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, TheDecisionLogNamesTheClientCertificatesSubjectAndAddress) {
  const std::string log = File("decisions.jsonl");
  auto server = StartServer(/*mutual=*/true, {"--decision_log=" + log});
  ASSERT_TRUE(server.ok()) << server.status();
  {
    auto channel = tools::Connect("localhost:" + std::to_string(server->port()),
                                  {File("ca.pem"), File("client.pem"), File("client.key"), ""});
    ASSERT_TRUE(channel.ok()) << channel.status();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::RouteResponse response;
    v1::RoutingService::NewStub(*channel)->Route(&context, v1::RouteRequest(), &response);
  }
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->output();
  std::ifstream in(log);
  std::string line;
  ASSERT_TRUE(std::getline(in, line)) << server->output();
  EXPECT_THAT(line, HasSubstr("\"peer\":\"ipv"));
  EXPECT_THAT(line, HasSubstr("127.0.0.1:"));
  EXPECT_THAT(line, HasSubstr("\"peer_subject\":\"CN=client\""));
}

TEST_F(TlsTest, FailedHandshakesAreThrottledJsonLogLinesWithTheSuppressedCounted) {
  auto server = StartServer(/*mutual=*/false, {"--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  constexpr int kPlaintextClients = 60;
  std::vector<std::thread> clients;
  for (int i = 0; i < kPlaintextClients; ++i) {
    clients.emplace_back([&server, i] {
      grpc::ChannelArguments args;
      args.SetInt("escalation.test.client", i);  // A connection of its own.
      auto channel = grpc::CreateCustomChannel(server->address(),
                                               grpc::InsecureChannelCredentials(), args);
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      v1::ListPluginsResponse response;
      EXPECT_FALSE(v1::PluginService::NewStub(channel)
                       ->ListPlugins(&context, v1::ListPluginsRequest(), &response)
                       .ok());
    });
  }
  for (std::thread& client : clients) client.join();
  const std::string before_stop = server->output();
  const size_t port_at = before_stop.find("\"port\":", before_stop.find("metrics_listening"));
  auto scrape = test::HttpGet(std::atoi(before_stop.c_str() + port_at + 7), "/metrics");
  ASSERT_TRUE(scrape.ok()) << scrape.status();
  EXPECT_GT(test::MetricSample(scrape->body,
                               "escalation_log_lines_suppressed_total{event=\"grpc_log\"}"),
            0)
      << scrape->body;
  server->Signal(SIGTERM);
  server->Wait();
  const std::string output = server->output();
  std::istringstream lines(output);
  int handshake_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_THAT(line, ::testing::StartsWith("{\"time\":")) << "not a JSON log line";
    if (line.find("Handshake failed") != std::string::npos) {
      ++handshake_lines;
      EXPECT_THAT(line, HasSubstr("\"event\":\"grpc_log\""));
    }
  }
  EXPECT_GT(handshake_lines, 0) << output;
  EXPECT_LT(handshake_lines, kPlaintextClients) << output;
}

TEST_F(TlsTest, StartUpFailsNamingTheFlagOfAMissingOrUnpairedFile) {
  auto missing = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--tls_cert=" + File("server.pem"),
       "--tls_key=" + File("no_such.key")});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(missing.status().message(), HasSubstr("server exited with 1"));
  EXPECT_THAT(missing.status().message(),
              HasSubstr("--tls_key: cannot read " + File("no_such.key")));
  auto unpaired = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--tls_cert=" + File("server.pem")});
  ASSERT_FALSE(unpaired.ok());
  EXPECT_EQ(unpaired.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(unpaired.status().message(), HasSubstr("server exited with 1"));
  EXPECT_THAT(unpaired.status().message(), HasSubstr("--tls_cert and --tls_key go together"));
}

TEST_F(TlsTest, AKeyThatIsNotTheCertificatesStopsStartUpNamingBothFiles) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--tls_cert=" + File("server.pem"),
       "--tls_key=" + File("client.key")});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);  // Exited, not listening.
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("server exited with 1"));
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("--tls_key: " + File("client.key") +
                        " is not the private key of the certificate in --tls_cert " +
                        File("server.pem")));
  EXPECT_THAT(std::string(server.status().message()), Not(HasSubstr("cannot listen")));
}

}  // namespace
}  // namespace escalation
