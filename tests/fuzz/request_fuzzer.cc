// Hostile input: arbitrary bytes as a RouteRequest and a ValidateTaskRequest,
// through the request checks, the plugin boundary and the merge, with test
// plugins loaded. Any answer is fine; a crash, a sanitizer report or an OK
// answer to a malformed request is not.
//
// With clang and -DESCALATION_BUILD_FUZZERS=ON this is a libFuzzer target.
// Otherwise main() below mutates built-in seeds deterministically, so ctest
// runs it on every build (and under ASan/UBSan in the sanitizer build).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "server/engine/policy_engine.h"
#include "server/loader/plugin_loader.h"
#include "tests/fuzz/mutate.h"
#include "tests/support/engine_or_die.h"

namespace {

using escalation::host::PolicyEngine;
namespace v1 = escalation::v1;

const PolicyEngine& Engine() {
  static const PolicyEngine* engine = [] {
    escalation::host::LoadOptions options;
    for (const char* f : {"test_good_a.so", "test_good_admitting.so"}) {
      options.plugin_paths.push_back(std::string(ESCALATION_TEST_PLUGIN_DIR) + "/" + f);
    }
    return escalation::test::EngineOrDie(options);
  }();
  return *engine;
}

void RunOne(const uint8_t* data, size_t size) {
  const absl::Time now = absl::FromUnixSeconds(1795446000);
  v1::RouteRequest route;
  if (route.ParseFromArray(data, static_cast<int>(size))) {
    auto routed = Engine().Route(route, now);
    if (routed.ok() && route.call().department() == v1::DEPARTMENT_UNSPECIFIED) {
      std::abort();  // A call without a department must never be answered.
    }
  }
  v1::ValidateTaskRequest validate;
  if (validate.ParseFromArray(data, static_cast<int>(size))) {
    (void)Engine().ValidateTask(validate, now);
  }
}

[[maybe_unused]] std::vector<std::string> Seeds() {
  std::vector<std::string> seeds;
  v1::RouteRequest route;
  route.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  route.mutable_call()->add_reasons(v1::CANCEL_CONTRACT);
  route.mutable_call()->set_customer_name("Ada");
  route.mutable_call()->mutable_live_transfer_queue_wait()->set_seconds(181);
  (*route.mutable_call()->mutable_extensions()->mutable_fields())["k"].set_string_value("v");
  route.mutable_evaluation_time()->set_seconds(1795446000);
  seeds.push_back(route.SerializeAsString());
  v1::ValidateTaskRequest validate;
  validate.mutable_task()->set_kind(v1::T2_TASK);
  validate.mutable_task()->add_resolution_reasons("None");
  validate.mutable_task()->mutable_created_at()->set_seconds(1);
  seeds.push_back(validate.SerializeAsString());
  return seeds;
}

}  // namespace

#ifdef ESCALATION_LIBFUZZER
// Loads the plugins before fuzzing starts, so libFuzzer registers their
// coverage counters with the rest.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Engine();
  return 0;
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RunOne(data, size);
  return 0;
}

#ifndef ESCALATION_LIBFUZZER
// Deterministic mutation run: flips, inserts, deletes and truncates bytes of
// the seeds. Usage: request_fuzzer [iterations]
int main(int argc, char** argv) {
  const int iterations = escalation::fuzz::RunMutations(
      argc, argv, 12345, Seeds(), RunOne, [](std::mt19937& random, std::string input) {
        escalation::fuzz::Mutate(random, 1 + random() % 8, &input);
        return input;
      });
  std::printf("%d mutated requests, no crash\n", iterations);
  return 0;
}
#endif
