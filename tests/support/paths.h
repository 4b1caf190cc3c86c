// Where the test build put its plugins and binaries.
#ifndef ESCALATION_TESTS_SUPPORT_PATHS_H_
#define ESCALATION_TESTS_SUPPORT_PATHS_H_

#include <string>

namespace escalation::test {

inline std::string TestPlugin(const std::string& file) {
  return std::string(ESCALATION_TEST_PLUGIN_DIR) + "/" + file;
}

inline std::string PluginWorkerBinary() { return ESCALATION_PLUGIN_WORKER_BINARY; }

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_SUPPORT_PATHS_H_
