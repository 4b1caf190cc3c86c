// A real server with one fault plugin beside the four department plugins,
// as the containment tests start it.
#ifndef ESCALATION_TESTS_E2E_BESIDE_DEPARTMENTS_H_
#define ESCALATION_TESTS_E2E_BESIDE_DEPARTMENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/support/paths.h"
#include "tests/support/server_process.h"

namespace escalation::test {

inline absl::StatusOr<ServerProcess> StartBesideDepartments(
    const std::string& fault_plugin, const std::string& isolation,
    std::vector<std::string> extra = {}) {
  // Every plugin gets a timeout far above any call's time, so a call that
  // fails shows containment failing, not a machine too busy to answer in the
  // default 250 ms; the plugin that hangs keeps the default.
  std::string limits = "--plugin_limits=fault_slow.timeout=250ms";
  std::vector<std::string> args = {
      std::string("--plugin_dir=") + ESCALATION_PLUGIN_DIR,
      "--plugins=" + TestPlugin(fault_plugin + ".so"),
      "--plugin_isolation=" + isolation, "--plugin_timeout=5s"};
  for (const std::string& arg : extra) {
    if (absl::StartsWith(arg, "--plugin_limits=")) {
      absl::StrAppend(&limits, ",", arg.substr(std::string("--plugin_limits=").size()));
    } else {
      args.push_back(arg);
    }
  }
  args.push_back(limits);
  return ServerProcess::Start(args);
}

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_E2E_BESIDE_DEPARTMENTS_H_
