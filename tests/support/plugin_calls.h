// Calls one plugin and waits for its answer, parsed: for tests of the loader
// and the runtimes, whatever isolation the plugin runs in.
#ifndef ESCALATION_TESTS_SUPPORT_PLUGIN_CALLS_H_
#define ESCALATION_TESTS_SUPPORT_PLUGIN_CALLS_H_

#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "server/loader/plugin_loader.h"
#include "server/wire/fixed_texts.h"
#include "server/plugin/plugin.h"
#include "server/registry/plugin_registry.h"
#include "tests/support/paths.h"

namespace escalation::test {

inline absl::StatusOr<std::string> CallAndWait(const host::Plugin& plugin,
                                               host::PluginMethod method,
                                               std::string request,
                                               absl::Time deadline = absl::InfiniteFuture()) {
  struct Answer {
    absl::Notification answered;
    absl::StatusOr<std::string> value;
  };
  auto answer = std::make_shared<Answer>();
  plugin.Call(method, std::move(request), deadline,
              [answer](absl::StatusOr<absl::string_view> value) {
                answer->value = host::OwnedAnswer(value);
                answer->answered.Notify();
              });
  answer->answered.WaitForNotification();
  return std::move(answer->value);
}

inline absl::StatusOr<v1::PluginRouteResponse> RouteWith(
    const host::Plugin& plugin, const v1::PluginRouteRequest& request) {
  absl::StatusOr<std::string> bytes =
      CallAndWait(plugin, host::PluginMethod::kRoute, request.SerializeAsString());
  if (!bytes.ok()) return bytes.status();
  // As the engine reads it: the fixed texts it cites written in (ABI 1.1).
  std::string expanded;
  bool cites = false;
  if (absl::Status s = host::ExpandCitations(plugin, *v1::PluginRouteResponse::descriptor(), *bytes, &expanded, &cites); !s.ok()) return s;
  if (cites) *bytes = std::move(expanded);
  v1::PluginRouteResponse response;
  if (!response.ParseFromString(*bytes)) return absl::InternalError("unparseable answer");
  return response;
}

// A Route request that makes a test_good_*.so plugin sleep `sleep_ms` first.
inline std::string SleepingRouteRequest(int sleep_ms) {
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  (*request.mutable_call()->mutable_extensions()->mutable_fields())["sleep_ms"]
      .set_number_value(sleep_ms);
  return request.SerializeAsString();
}

// Load options for `isolation`, with the worker program of this build.
inline host::LoadOptions OptionsFor(host::Isolation isolation) {
  host::LoadOptions options;
  options.isolation = isolation;
  options.worker_binary = PluginWorkerBinary();
  return options;
}

inline std::string IsolationName(host::Isolation isolation) {
  switch (isolation) {
    case host::Isolation::kDirect: return "Direct";
    case host::Isolation::kInProcess: return "InProcess";
    case host::Isolation::kProcess: return "Process";
  }
  return "Unknown";
}

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_SUPPORT_PLUGIN_CALLS_H_
