// A policy engine over the plugins `options` names, for programs that cannot
// go on without one (fuzzers, benchmarks): a load failure is printed and ends
// the program.
#ifndef ESCALATION_TESTS_SUPPORT_ENGINE_OR_DIE_H_
#define ESCALATION_TESTS_SUPPORT_ENGINE_OR_DIE_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/engine/policy_engine.h"
#include "server/loader/plugin_loader.h"

namespace escalation::test {

// Never freed: it lives as long as the program.
inline const host::PolicyEngine* EngineOrDie(const host::LoadOptions& options) {
  auto registry = host::LoadPluginRegistry(options);
  if (!registry.ok()) {
    std::fprintf(stderr, "cannot load plugins: %s\n",
                 std::string(registry.status().message()).c_str());
    std::abort();
  }
  return new host::PolicyEngine(*registry);
}

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_SUPPORT_ENGINE_OR_DIE_H_
