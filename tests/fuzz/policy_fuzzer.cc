// libFuzzer targets over the department plugins, built only in the fuzz
// build (clang, -DESCALATION_BUILD_FUZZERS=ON), where the host, the SDK and
// every plugin are instrumented too. One source, two targets:
//   route_fuzzer     bytes as a RouteRequest        (FUZZ_ROUTE)
//   validate_fuzzer  bytes as a ValidateTaskRequest (FUZZ_VALIDATE)
// Any answer is fine; a crash, a sanitizer report, or an answer to a call
// without a department is not. Seeds: fuzz_seeds converts plugins/*/cases.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/engine/policy_engine.h"
#include "server/loader/plugin_loader.h"
#include "tests/support/engine_or_die.h"

namespace {

using escalation::host::PolicyEngine;
namespace v1 = escalation::v1;

const PolicyEngine& Engine() {
  static const PolicyEngine* engine = [] {
    escalation::host::LoadOptions options;
    options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
    return escalation::test::EngineOrDie(options);
  }();
  return *engine;
}

// The case files' evaluation times lie in late 2026; a fixed clock keeps a
// crash reproducible.
const absl::Time kNow = absl::FromUnixSeconds(1795446000);

}  // namespace

// Loads the plugins before fuzzing starts, so libFuzzer registers their
// coverage counters with the rest.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)Engine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
#if defined(FUZZ_ROUTE)
  v1::RouteRequest route;
  if (!route.ParseFromArray(data, static_cast<int>(size))) return 0;
  auto routed = Engine().Route(route, kNow);
  if (routed.ok() && route.call().department() == v1::DEPARTMENT_UNSPECIFIED) {
    std::abort();  // A call without a department must never be answered.
  }
#elif defined(FUZZ_VALIDATE)
  v1::ValidateTaskRequest validate;
  if (!validate.ParseFromArray(data, static_cast<int>(size))) return 0;
  (void)Engine().ValidateTask(validate, kNow);
#else
#error "define FUZZ_ROUTE or FUZZ_VALIDATE"
#endif
  return 0;
}
