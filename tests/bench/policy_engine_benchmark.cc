// How long a decision takes, in process: the cost of the plugin boundary
// (serialize, call through the C ABI, parse), the rules and the merge.
// Beside ns/op each prints allocs/op: operator new calls per decision, in the
// host and the plugins alike.
// Run: build/tests/bench/policy_engine_benchmark
// BM_Route/<name> are the requests of tools/bench/request_set.h, which the gRPC
// harness (tools/bench) sends too; docs/PERFORMANCE.md reads them.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <optional>

#include "server/engine/policy_engine.h"
#include "server/loader/plugin_loader.h"
#include "tests/bench/allocation_counter.h"
#include "tests/support/engine_or_die.h"
#include "tools/bench/request_set.h"

namespace escalation {
namespace {

const host::PolicyEngine& Engine() {
  static const host::PolicyEngine* engine = [] {
    host::LoadOptions options;
    options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
    return test::EngineOrDie(options);
  }();
  return *engine;
}

v1::RouteRequest Call(std::initializer_list<v1::Reason> reasons) {
  v1::RouteRequest request;
  v1::CallFacts* call = request.mutable_call();
  call->set_department(v1::CUSTOMER_SERVICE);
  call->set_site("tampa");
  call->set_customer_name("Ada Lovelace");
  for (v1::Reason r : reasons) call->add_reasons(r);
  request.mutable_evaluation_time()->set_seconds(1795446000);  // A Monday, 10:00 Eastern.
  return request;
}

// Times `call(engine, now)`, which returns a StatusOr; an error ends the run.
template <typename Call>
void Measure(benchmark::State& state, Call call) {
  const host::PolicyEngine& engine = Engine();
  const absl::Time now = absl::Now();
  const int64_t allocations_before = bench::AllocationsSoFar();
  for (auto _ : state) {
    auto response = call(engine, now);
    if (!response.ok()) {
      state.SkipWithError(std::string(response.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(response);
  }
  state.counters["allocs/op"] = benchmark::Counter(
      static_cast<double>(bench::AllocationsSoFar() - allocations_before),
      benchmark::Counter::kAvgIterations);
}

// As the server does: the answer is read where the decision built it, on the
// decision's arena (the plugins run on this thread, so it is there on return).
void Route(benchmark::State& state, const v1::RouteRequest& request) {
  Measure(state, [&](const host::PolicyEngine& e, absl::Time now) {
    // Built only when missing: a Status with a message is an allocation,
    // which would count as the decision's.
    std::optional<absl::StatusOr<v1::Action>> action;
    e.RouteAsync(request, now, absl::InfiniteFuture(),
                 [&](absl::StatusOr<const host::RouteAnswer*> answer) {
                   if (!answer.ok()) {
                     action = answer.status();
                   } else {
                     action = (*answer)->action();
                   }
                 });
    if (!action.has_value()) {
      return absl::StatusOr<v1::Action>(
          absl::InternalError("no answer on return: a plugin ran elsewhere"));
    }
    return *std::move(action);
  });
}

void BM_RouteResolveHere(benchmark::State& state) {
  Route(state, Call({v1::UPDATE_EMAIL}));
}
BENCHMARK(BM_RouteResolveHere);

void BM_RouteManyReasons(benchmark::State& state) {
  v1::RouteRequest request =
      Call({v1::CANCEL_CONTRACT, v1::UPDATE_ZIP_CODE, v1::COVERAGE_QUESTION,
            v1::SUPERVISOR_REQUEST, v1::EXECUTIVE_REQUEST});
  request.mutable_call()->set_de_escalation_failed(true);
  request.mutable_call()->set_supervisor_approved(true);
  Route(state, request);
}
BENCHMARK(BM_RouteManyReasons);

void BM_ValidateT2Task(benchmark::State& state) {
  v1::ValidateTaskRequest request;
  v1::Task* task = request.mutable_task();
  task->set_kind(v1::T2_TASK);
  task->set_category("Membership Services");
  task->set_origin_department(v1::MEMBERSHIP_SERVICES);
  task->add_resolution_reasons("Created T3 for Follow Up");
  task->mutable_call_ended_at()->set_seconds(1795446000);
  task->mutable_created_at()->set_seconds(1795446060);
  Measure(state, [&](const host::PolicyEngine& e, absl::Time now) {
    return e.ValidateTask(request, now);
  });
}
BENCHMARK(BM_ValidateT2Task);

// The per-call overhead of where plugin code runs: the same decision through
// a registry whose plugins run on the caller's thread (direct), on a pool of
// their own (in_process) or in worker processes (process, the server's
// default). Wall time: the work happens on other threads and processes.
const host::PolicyEngine& EngineIn(host::Isolation isolation) {
  static std::map<host::Isolation, const host::PolicyEngine*>* engines =
      new std::map<host::Isolation, const host::PolicyEngine*>();
  const host::PolicyEngine*& engine = (*engines)[isolation];
  if (engine == nullptr) {
    host::LoadOptions options;
    options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
    options.isolation = isolation;
    options.worker_binary = ESCALATION_PLUGIN_WORKER_BINARY;
    engine = test::EngineOrDie(options);
  }
  return *engine;
}

[[maybe_unused]] const bool kIsolationRegistered = [] {
  const std::pair<const char*, host::Isolation> modes[] = {
      {"direct", host::Isolation::kDirect},
      {"in_process", host::Isolation::kInProcess},
      {"process", host::Isolation::kProcess}};
  for (const bench::NamedRequest& named : bench::RequestSet()) {
    if (named.name != "simple" && named.name != "heaviest") continue;
    for (const auto& [mode, isolation] : modes) {
      benchmark::RegisterBenchmark(
          ("BM_RouteIsolation/" + std::string(mode) + "/" + named.name).c_str(),
          [named, isolation = isolation](benchmark::State& state) {
            const host::PolicyEngine& engine = EngineIn(isolation);
            const absl::Time now = absl::Now();
            for (auto _ : state) {
              auto response = engine.Route(named.request, now);
              if (!response.ok()) {
                state.SkipWithError(std::string(response.status().message()).c_str());
                break;
              }
              benchmark::DoNotOptimize(response);
            }
          })
          ->UseRealTime();
    }
  }
  return true;
}();

// simple, heaviest, reasons_1/3/6/all: one benchmark each, registered at start.
[[maybe_unused]] const bool kRequestSetRegistered = [] {
  for (const bench::NamedRequest& named : bench::RequestSet()) {
    benchmark::RegisterBenchmark(("BM_Route/" + named.name).c_str(),
                                 [named](benchmark::State& state) {
                                   Route(state, named.request);
                                   state.counters["facts"] = named.facts;
                                 });
  }
  return true;
}();

}  // namespace
}  // namespace escalation

BENCHMARK_MAIN();
