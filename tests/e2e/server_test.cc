// The server over a real channel: every RPC, every status code of
// docs/architecture.md, Errors, health and reflection.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "escalation/v1/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "server/app/escalation_server.h"
#include "server/loader/plugin_loader.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/paths.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host::LoadOptions load;
    for (const char* file : {"test_good_a.so", "test_good_admitting.so", "fault_throws.so"}) {
      load.plugin_paths.push_back(test::TestPlugin(file));
    }
    auto registry = host::LoadPluginRegistry(load);
    ASSERT_TRUE(registry.ok()) << registry.status();
    app::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.max_request_bytes = 64 * 1024;
    auto server = app::EscalationServer::Start(
        std::make_shared<host::PolicyEngine>(*registry), options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  static void TearDownTestSuite() {
    server_->Shutdown(absl::Now());
    server_->Wait();
    delete server_;
    channel_.reset();
  }

  template <typename Stub>
  std::unique_ptr<typename Stub::Stub> NewStub() {
    return Stub::NewStub(channel_);
  }

  grpc::Status Route(const v1::RouteRequest& request, v1::RouteResponse* response) {
    grpc::ClientContext context;
    return NewStub<v1::RoutingService>()->Route(&context, request, response);
  }

  static app::EscalationServer* server_;
  static std::shared_ptr<grpc::Channel> channel_;
};

app::EscalationServer* ServerTest::server_ = nullptr;
std::shared_ptr<grpc::Channel> ServerTest::channel_;

v1::RouteRequest CancelCall() {
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_call()->add_reasons(v1::CANCEL_CONTRACT);
  return request;
}

TEST_F(ServerTest, RoutesACall) {
  v1::RouteResponse response;
  grpc::Status status = Route(CancelCall(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.decision().action(), v1::TRANSFER);
  EXPECT_EQ(response.decision().destination(), v1::Decision::RETENTION);
  EXPECT_GT(response.evaluation_time().seconds(), 0);
}

TEST_F(ServerTest, ValidatesATask) {
  v1::ValidateTaskRequest request;
  request.mutable_task()->set_kind(v1::T2_TASK);
  v1::ValidateTaskResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      NewStub<v1::TaskValidationService>()->ValidateTask(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.valid());
  ASSERT_EQ(response.violations_size(), 2);  // One from each good plugin.
  EXPECT_EQ(response.violations(0).field(), "category");
}

TEST_F(ServerTest, ListsPlugins) {
  v1::ListPluginsResponse response;
  grpc::ClientContext context;
  grpc::Status status = NewStub<v1::PluginService>()->ListPlugins(
      &context, v1::ListPluginsRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.plugins_size(), 3);
  EXPECT_EQ(response.plugins(0).manifest().name(), "good_a");
  EXPECT_EQ(response.plugins(0).manifest().rules(1).id(), "good_a.cancel");
}

TEST_F(ServerTest, MissingDepartmentIsInvalidArgument) {
  v1::RouteResponse response;
  grpc::Status status = Route(v1::RouteRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("call.department"));
}

TEST_F(ServerTest, UnknownEnumNumberIsInvalidArgument) {
  v1::RouteRequest request = CancelCall();
  request.mutable_call()->add_threats(static_cast<v1::Threat>(42));
  v1::RouteResponse response;
  grpc::Status status = Route(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("call.threats[0]: unknown Threat value 42"));
}

TEST_F(ServerTest, MalformedTimestampIsInvalidArgument) {
  v1::RouteRequest request = CancelCall();
  request.mutable_evaluation_time()->set_seconds(int64_t{1} << 40);
  v1::RouteResponse response;
  grpc::Status status = Route(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("evaluation_time: malformed timestamp"));
}

TEST_F(ServerTest, NoPluginForTheDepartmentIsFailedPrecondition) {
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::MEMBERSHIP_SERVICES);
  v1::RouteResponse response;
  grpc::Status status = Route(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("MEMBERSHIP_SERVICES"));
}

TEST_F(ServerTest, NoPluginForTheTaskKindIsFailedPrecondition) {
  v1::ValidateTaskRequest request;
  request.mutable_task()->set_kind(v1::CALL_BACK_EXCEPTION);
  v1::ValidateTaskResponse response;
  grpc::ClientContext context;
  grpc::Status status =
      NewStub<v1::TaskValidationService>()->ValidateTask(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("CALL_BACK_EXCEPTION"));
}

TEST_F(ServerTest, OversizedRequestIsResourceExhausted) {
  v1::RouteRequest request = CancelCall();
  request.mutable_call()->set_customer_name(std::string(100 * 1024, 'x'));
  v1::RouteResponse response;
  grpc::Status status = Route(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(ServerTest, BytesThatDoNotParseAreInvalidArgumentNamingTheMessage) {
  // A length prefix claiming 100 bytes, followed by three.
  auto truncated = test::CallRaw(channel_, "/escalation.v1.RoutingService/Route",
                                 std::string("\x0a\x64\x01\x02\x03", 5));
  EXPECT_EQ(truncated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(truncated.status().message()),
              HasSubstr("request is not a valid escalation.v1.RouteRequest"));
  // task { category: "\xff\xfe" }: a proto3 string that is not UTF-8.
  auto not_utf8 = test::CallRaw(channel_, "/escalation.v1.TaskValidationService/ValidateTask",
                                std::string("\x0a\x04\x22\x02\xff\xfe", 6));
  EXPECT_EQ(not_utf8.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(not_utf8.status().message()),
              HasSubstr("request is not a valid escalation.v1.ValidateTaskRequest"));
  auto garbage = test::CallRaw(channel_, "/escalation.v1.PluginService/ListPlugins",
                               std::string("\xde\xad\xbe\xef"));
  EXPECT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ServerTest, AFailingPluginIsInternalAndTheServerKeepsServing) {
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::LEADERSHIP_DESK);
  v1::RouteResponse response;
  grpc::Status status = Route(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(status.error_message(), HasSubstr("plugin fault_throws"));
  EXPECT_TRUE(Route(CancelCall(), &response).ok());
}

TEST_F(ServerTest, HealthIsServing) {
  constexpr int kServing = 1;
  EXPECT_EQ(test::HealthCheck(channel_, "").value(), kServing);
  EXPECT_EQ(test::HealthCheck(channel_, "escalation.v1.RoutingService").value(), kServing);
}

TEST_F(ServerTest, ReflectionListsTheThreeServices) {
  auto services = test::ReflectedServices(channel_);
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, IsSupersetOf({"escalation.v1.RoutingService",
                                       "escalation.v1.TaskValidationService",
                                       "escalation.v1.PluginService"}));
}

// Where each plugin call of a decision was made and where its answer came
// back, seen from around the in-process plugin the server runs.
struct PluginCallThreads {
  std::thread::id called_on;
  std::thread::id answered_on;
  bool answered_before_call_returned = false;
};

class ThreadRecordingPlugin final : public host::Plugin {
 public:
  ThreadRecordingPlugin(std::unique_ptr<host::Plugin> inner, absl::Mutex* mu,
                        std::vector<PluginCallThreads>* seen)
      : inner_(std::move(inner)), mu_(mu), seen_(seen) {
    info_ = inner_->info();
  }

  void Call(host::PluginMethod method, absl::string_view request, absl::Time deadline,
            host::PluginReply reply) const override {
    const std::thread::id caller = std::this_thread::get_id();
    auto returned = std::make_shared<std::atomic<bool>>(false);
    inner_->Call(method, request, deadline,
                 [this, caller, returned, reply = std::move(reply)](
                     absl::StatusOr<absl::string_view> answer) mutable {
                   {
                     absl::MutexLock lock(mu_);
                     seen_->push_back({caller, std::this_thread::get_id(), !returned->load()});
                   }
                   std::move(reply)(std::move(answer));
                 });
    returned->store(true);
  }

 private:
  std::unique_ptr<host::Plugin> inner_;
  absl::Mutex* mu_;
  std::vector<PluginCallThreads>* seen_;
};

// --plugin_isolation=in_process: the engine makes a decision's first plugin
// call on the gRPC thread that called the Route handler; every plugin call of
// the decision (route, then admit) runs and answers on that same thread, so
// the call is finished there, with no hand-off to another thread.
TEST(InProcessServerTest, PluginsRunAndTheCallIsAnsweredOnTheHandlersThread) {
  absl::Mutex mu;
  std::vector<PluginCallThreads> seen;
  host::LoadOptions load;
  load.isolation = host::Isolation::kInProcess;
  for (const char* file : {"test_good_a.so", "test_good_admitting.so"}) {
    load.plugin_paths.push_back(test::TestPlugin(file));
  }
  load.wrap = [&](std::unique_ptr<host::Plugin> plugin) -> std::unique_ptr<host::Plugin> {
    return std::make_unique<ThreadRecordingPlugin>(std::move(plugin), &mu, &seen);
  };
  auto registry = host::LoadPluginRegistry(load);
  ASSERT_TRUE(registry.ok()) << registry.status();
  app::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto server =
      app::EscalationServer::Start(std::make_shared<host::PolicyEngine>(*registry), options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::RoutingService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->port()), grpc::InsecureChannelCredentials()));
  for (int call = 0; call < 3; ++call) {
    grpc::ClientContext context;
    v1::RouteResponse response;
    grpc::Status status = stub->Route(&context, CancelCall(), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.decision().destination(), v1::Decision::RETENTION);
    absl::MutexLock lock(&mu);
    // Both routers' calls, and the admits of their Retention transfers.
    ASSERT_GE(seen.size(), 3u);
    for (const PluginCallThreads& plugin_call : seen) {
      EXPECT_EQ(plugin_call.called_on, seen.front().called_on);
      EXPECT_EQ(plugin_call.answered_on, seen.front().called_on);
      EXPECT_TRUE(plugin_call.answered_before_call_returned);
    }
    EXPECT_NE(seen.front().called_on, std::this_thread::get_id());
    seen.clear();
  }
  (*server)->Shutdown(absl::Now());
  (*server)->Wait();
}

}  // namespace
}  // namespace escalation
