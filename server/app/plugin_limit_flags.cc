#include "server/app/plugin_limit_flags.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace escalation::app {
namespace {

absl::Status Bad(const std::string& key, const std::string& value, const char* want) {
  return absl::InvalidArgumentError(
      absl::StrCat("plugin limit ", key, "=\"", value, "\": want ", want));
}

bool PositiveInt(const std::string& value, int* out) {
  return absl::SimpleAtoi(value, out) && *out > 0;
}

}  // namespace

absl::Status SetLimit(const std::string& key, const std::string& value,
                      runtime::PluginLimits* limits) {
  int n = 0;
  absl::Duration d;
  auto duration = [&](absl::Duration* field) {
    if (!absl::ParseDuration(value, &d) || d <= absl::ZeroDuration()) {
      return Bad(key, value, "a positive duration such as 250ms");
    }
    *field = d;
    return absl::OkStatus();
  };
  auto count = [&](auto* field, size_t unit) {
    if (!PositiveInt(value, &n)) return Bad(key, value, "a positive whole number");
    *field = static_cast<std::remove_pointer_t<decltype(field)>>(n) * unit;
    return absl::OkStatus();
  };
  if (key == "timeout") return duration(&limits->timeout);
  if (key == "quarantine_window") return duration(&limits->quarantine_window);
  if (key == "quarantine_duration") return duration(&limits->quarantine_duration);
  if (key == "workers") return count(&limits->workers, 1);
  if (key == "queue_size") return count(&limits->queue_size, 1);
  if (key == "quarantine_failures") return count(&limits->quarantine_failures, 1);
  if (key == "max_response_bytes") return count(&limits->max_response_bytes, 1);
  if (key == "memory_limit_mb") return count(&limits->memory_limit_bytes, size_t{1} << 20);
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown plugin limit \"", key,
      "\" (timeout, workers, queue_size, max_response_bytes, memory_limit_mb, "
      "quarantine_failures, quarantine_window, quarantine_duration)"));
}

absl::Status ParsePluginLimits(const std::vector<std::string>& entries,
                               const runtime::PluginLimits& defaults,
                               std::map<std::string, runtime::PluginLimits>* by_plugin) {
  for (const std::string& entry : entries) {
    const size_t dot = entry.find('.');
    const size_t eq = entry.find('=', dot == std::string::npos ? 0 : dot);
    if (dot == std::string::npos || dot == 0 || eq == std::string::npos || eq == dot + 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--plugin_limits: \"", entry, "\" is not NAME.KEY=VALUE"));
    }
    const std::string name = entry.substr(0, dot);
    auto [it, added] = by_plugin->emplace(name, defaults);
    if (absl::Status s = SetLimit(entry.substr(dot + 1, eq - dot - 1), entry.substr(eq + 1),
                                  &it->second);
        !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--plugin_limits: ", name, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace escalation::app
