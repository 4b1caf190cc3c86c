// Fault containment (docs/architecture.md, Fault containment and Errors): a
// real plugin doing the real bad thing, loaded beside the four department
// plugins in a real server, under load from several departments at once. Every
// other department's call is counted and must succeed; the faulty plugin's
// calls fail with the status that names it; the server's memory stays bounded;
// a crashed worker is restarted and answers again; quarantine engages and
// lifts.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/beside_departments.h"
#include "tests/e2e/load_counter.h"
#include "tests/support/grpc_probes.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;
using test::CallFor;
using test::StartBesideDepartments;
using test::Outcomes;

constexpr absl::Duration kLoad = absl::Seconds(3);

// The server's memory bound. Under AddressSanitizer its shadow memory and
// quarantine add some hundreds of MiB that have nothing to do with plugins.
#ifdef ESCALATION_SANITIZED
constexpr long kServerRssBoundMiB = 1024;
constexpr long kRssGrowthBoundMiB = 512;
#else
constexpr long kServerRssBoundMiB = 200;
constexpr long kRssGrowthBoundMiB = 32;
#endif

// Resident memory of process `pid`, in MiB.
long ResidentMiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

struct Counts {
  Outcomes others;  // Customer Service, TS&R, Membership, ListPlugins, Health
  Outcomes faulty;  // Leadership Desk calls that make the fault happen
};

// Other departments' calls and the faulty calls, all at once for kLoad.
void LoadBesideTheFault(const std::string& address, Counts* counts,
                        int fault_threads = 2) {
  std::vector<std::thread> load;
  for (const auto& [department, reason] :
       std::vector<std::pair<v1::Department, v1::Reason>>{
           {v1::CUSTOMER_SERVICE, v1::CANCEL_CONTRACT},
           {v1::TELESALES_RETENTION, v1::SUPERVISOR_REQUEST},
           {v1::MEMBERSHIP_SERVICES, v1::ATTORNEY_CALL}}) {
    load.emplace_back([&, department = department, reason = reason] {
      test::RouteFor(address, CallFor(department, reason), 2, kLoad, &counts->others);
    });
  }
  load.emplace_back([&] {
    auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    auto plugins = v1::PluginService::NewStub(channel);
    const absl::Time end = absl::Now() + kLoad;
    while (absl::Now() < end) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
      v1::ListPluginsResponse response;
      counts->others.Add(plugins->ListPlugins(&context, {}, &response));
      absl::StatusOr<int> health = test::HealthCheck(channel, "");
      counts->others.Add(health.ok() && *health == 1
                             ? grpc::Status::OK
                             : grpc::Status(grpc::StatusCode::UNKNOWN, "health not SERVING"));
    }
  });
  test::RouteFor(address, CallFor(v1::LEADERSHIP_DESK, v1::REASON_UNSPECIFIED, true),
                 fault_threads, kLoad, &counts->faulty);
  for (std::thread& t : load) t.join();
}

// Whether a Leadership Desk call without the fault is answered within `wait`.
bool AnswersAgain(const std::string& address, absl::Duration wait) {
  auto stub = v1::RoutingService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  const absl::Time end = absl::Now() + wait;
  while (absl::Now() < end) {
    grpc::ClientContext context;
    v1::RouteResponse response;
    if (stub->Route(&context, CallFor(v1::LEADERSHIP_DESK, v1::REASON_UNSPECIFIED),
                    &response)
            .ok()) {
      return true;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  return false;
}

struct Fault {
  std::string plugin;
  std::vector<grpc::StatusCode> codes;  // What its faulty calls may answer.
  std::string says;                     // What the first of them says.
  // Are other calls unaffected by it in process? A crash ends the server,
  // and a plugin call in process holds the gRPC thread it runs on.
  bool in_process_too;
  bool answers_other_calls = true;      // The error faults fail every call.
};

void PrintTo(const Fault& fault, std::ostream* os) { *os << fault.plugin; }

// What the faulty calls say. UndefinedBehaviorSanitizer stops the null store
// itself (the worker exits 1) before the kernel's SIGSEGV can.
std::string Says(const Fault& fault) {
#ifdef ESCALATION_SANITIZED
  if (fault.plugin == "fault_segfault") return "plugin fault_segfault crashed in route (worker";
#endif
  return fault.says;
}

class ContainmentTest
    : public ::testing::TestWithParam<std::tuple<Fault, std::string>> {};

TEST_P(ContainmentTest, OnlyTheFaultyPluginsCallsFailAndItAnswersAgain) {
  const auto& [fault, isolation] = GetParam();
  if (isolation == "in_process" && !fault.in_process_too) {
    GTEST_SKIP() << fault.plugin
                 << " ends the process it runs in, or holds the server's threads: isolation only";
  }
  // Building a 100 MB answer takes longer than the default timeout.
  auto server = StartBesideDepartments(
      fault.plugin, isolation,
      {"--plugin_quarantine_failures=100000", "--plugin_limits=fault_huge.timeout=10s"});
  ASSERT_TRUE(server.ok()) << server.status();

  Counts counts;
  LoadBesideTheFault(server->address(), &counts);

  EXPECT_EQ(counts.others.Failed(), 0) << counts.others.Describe();
  EXPECT_GT(counts.others.Total(), 100) << counts.others.Describe();
  ASSERT_GT(counts.faulty.Total(), 0);
  int expected = 0;
  for (grpc::StatusCode code : fault.codes) expected += counts.faulty.Count(code);
  EXPECT_EQ(expected, counts.faulty.Total()) << counts.faulty.Describe();
  EXPECT_GT(counts.faulty.Count(fault.codes[0]), 0) << counts.faulty.Describe();
  EXPECT_THAT(counts.faulty.Describe(), HasSubstr(Says(fault)));
  EXPECT_LT(ResidentMiB(server->pid()), kServerRssBoundMiB);

  // A worker that was killed is replaced and answers again.
  if (fault.answers_other_calls) {
    EXPECT_TRUE(AnswersAgain(server->address(), absl::Seconds(10)));
  }
  server->Signal(SIGTERM);
  server->Wait();
  if (fault.plugin == "fault_segfault" && Says(fault) == fault.says) {
    EXPECT_THAT(server->output(),
                HasSubstr("killed by signal 11 (SIGSEGV, Segmentation fault) while "
                          "serving a route call"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, ContainmentTest,
    ::testing::Combine(
        ::testing::Values(
            Fault{"fault_throws", {grpc::StatusCode::INTERNAL},
                  "plugin fault_throws failed in route", true, false},
            Fault{"fault_bad_bytes", {grpc::StatusCode::INTERNAL},
                  "plugin fault_bad_bytes returned bytes from route that do not parse", true,
                  false},
            Fault{"fault_error_code", {grpc::StatusCode::INTERNAL},
                  "plugin fault_error_code failed in route (INTERNAL): policy store", true,
                  false},
            // Calls that come while its killed worker waits out the restart
            // backoff are refused as UNAVAILABLE naming it.
            Fault{"fault_slow",
                  {grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::RESOURCE_EXHAUSTED,
                   grpc::StatusCode::UNAVAILABLE},
                  "plugin fault_slow did not answer route", false},
            Fault{"fault_huge", {grpc::StatusCode::INTERNAL},
                  "plugin fault_huge answered 104857", false},
            // While a crashed worker waits out its restart backoff, calls
            // are refused as UNAVAILABLE, or time out queued behind it.
            Fault{"fault_segfault",
                  {grpc::StatusCode::INTERNAL, grpc::StatusCode::UNAVAILABLE,
                   grpc::StatusCode::DEADLINE_EXCEEDED},
                  "plugin fault_segfault crashed in route (worker killed by signal 11", false},
            Fault{"fault_abort",
                  {grpc::StatusCode::INTERNAL, grpc::StatusCode::UNAVAILABLE,
                   grpc::StatusCode::DEADLINE_EXCEEDED},
                  "plugin fault_abort crashed in route (worker killed by signal 6 (SIGABRT",
                  false}),
        ::testing::Values("process", "in_process")),
    [](const auto& info) {
      return std::get<0>(info.param).plugin + "_" + std::get<1>(info.param);
    });

// A plugin that leaks 1 MiB a call: its worker is replaced at the memory
// limit, the server's own memory does not grow, other departments go on.
TEST(ContainmentTest, ALeakingWorkerIsReplacedAtItsMemoryLimit) {
  auto server = StartBesideDepartments(
      "fault_leak", "process",
      {"--plugin_limits=fault_leak.memory_limit_mb=32,fault_leak.timeout=2s",
       "--plugin_quarantine_failures=100000"});
  ASSERT_TRUE(server.ok()) << server.status();
  const long rss_before = ResidentMiB(server->pid());

  Counts counts;
  // Four callers of the leak: between a worker's restarts (slow under the
  // sanitizers) two made 98 calls in 3 s.
  LoadBesideTheFault(server->address(), &counts, /*fault_threads=*/4);

  EXPECT_EQ(counts.others.Failed(), 0) << counts.others.Describe();
  // Fewer calls than the limit's MiB could not have passed it; that it was
  // passed is the message below.
  EXPECT_GT(counts.faulty.Total(), 32) << "too few calls to pass the limit";
  EXPECT_EQ(counts.faulty.Count(grpc::StatusCode::OK) +
                counts.faulty.Count(grpc::StatusCode::INTERNAL) +
                counts.faulty.Count(grpc::StatusCode::UNAVAILABLE),
            counts.faulty.Total())
      << counts.faulty.Describe();
  EXPECT_THAT(counts.faulty.Describe(),
              HasSubstr("plugin fault_leak went over its memory limit of 32 MiB"));
  EXPECT_LT(ResidentMiB(server->pid()), rss_before + kRssGrowthBoundMiB);
  EXPECT_TRUE(AnswersAgain(server->address(), absl::Seconds(10)));
  server->Signal(SIGTERM);
  server->Wait();
  EXPECT_THAT(server->output(), HasSubstr("went over its memory limit"));
}

// Three crashes within the window quarantine the plugin: UNAVAILABLE naming
// it, with no worker started; after the quarantine it answers again.
TEST(ContainmentTest, RepeatedCrashesQuarantineThePluginUntilItAnswersAgain) {
  auto server = StartBesideDepartments(
      "fault_segfault", "process",
      {"--plugin_quarantine_failures=3", "--plugin_quarantine_window=60s",
       "--plugin_quarantine_duration=2s", "--plugin_workers=1",
       // Time enough for every restart, so each crash is the only failure.
       "--plugin_timeout=5s"});
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = v1::RoutingService::NewStub(
      grpc::CreateChannel(server->address(), grpc::InsecureChannelCredentials()));
  // Each crash from a request of its own: the same one crashing twice is
  // refused as poison after that, and crashes nothing more.
  auto route = [&](bool fault, int attempt = 0) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::RouteRequest request = CallFor(v1::LEADERSHIP_DESK, v1::REASON_UNSPECIFIED, fault);
    (*request.mutable_call()->mutable_extensions()->mutable_fields())["attempt"]
        .set_number_value(attempt);
    v1::RouteResponse response;
    return stub->Route(&context, request, &response);
  };
  for (int i = 0; i < 3; ++i) {
    grpc::Status crashed = route(true, i);
    ASSERT_EQ(crashed.error_code(), grpc::StatusCode::INTERNAL) << crashed.error_message();
  }
  grpc::Status quarantined = route(false);
  EXPECT_EQ(quarantined.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(quarantined.error_message(),
              HasSubstr("plugin fault_segfault is quarantined after repeated failures"));
  // Other departments are not affected by the quarantine.
  Outcomes others;
  test::RouteFor(server->address(), CallFor(v1::CUSTOMER_SERVICE, v1::CANCEL_CONTRACT), 1,
                 absl::Milliseconds(300), &others);
  EXPECT_EQ(others.Failed(), 0) << others.Describe();

  absl::SleepFor(absl::Seconds(2));
  EXPECT_TRUE(AnswersAgain(server->address(), absl::Seconds(10)));
  EXPECT_TRUE(route(false).ok());
  server->Signal(SIGTERM);
  server->Wait();
  EXPECT_THAT(server->output(), HasSubstr("plugin fault_segfault quarantined"));
}

}  // namespace
}  // namespace escalation
