// The server over TLS and mutual TLS, with certificates made for the test by
// openssl: who gets an answer and who is refused in the handshake.
#include <chrono>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/paths.h"
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

  static absl::StatusOr<test::ServerProcess> StartServer(bool mutual) {
    std::vector<std::string> args = {"--plugins=" + test::TestPlugin("test_good_a.so"),
                                     "--tls_cert=" + File("server.pem"),
                                     "--tls_key=" + File("server.key")};
    if (mutual) args.push_back("--tls_client_ca=" + File("ca.pem"));
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

TEST_F(TlsTest, StartUpFailsNamingTheFlagOfAMissingOrUnpairedFile) {
  auto missing = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--tls_cert=" + File("server.pem"),
       "--tls_key=" + File("no_such.key")});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("--tls_key: cannot read"));
  auto unpaired = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--tls_cert=" + File("server.pem")});
  ASSERT_FALSE(unpaired.ok());
  EXPECT_THAT(unpaired.status().message(), HasSubstr("--tls_cert and --tls_key go together"));
}

TEST_F(TlsTest, AKeyThatIsNotTheCertificatesStopsStartUpNamingBothFiles) {
  auto server = test::ServerProcess::Start(
      {"--plugins=" + test::TestPlugin("test_good_a.so"), "--tls_cert=" + File("server.pem"),
       "--tls_key=" + File("client.key")});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("--tls_key: " + File("client.key") +
                        " is not the private key of the certificate in --tls_cert " +
                        File("server.pem")));
  EXPECT_THAT(std::string(server.status().message()), Not(HasSubstr("cannot listen")));
}

}  // namespace
}  // namespace escalation
