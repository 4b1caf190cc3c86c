#include "server/app/connection_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(absl::Duration, max_connection_idle, absl::Minutes(5),
          "A client connection with no call for this long is told to go away "
          "(GOAWAY) and closed; 0 keeps idle connections open");
ABSL_FLAG(absl::Duration, max_connection_age, absl::Minutes(30),
          "A client connection this old is told to go away (GOAWAY), so clients "
          "reconnect and rebalance; 0 for no limit");
ABSL_FLAG(absl::Duration, max_connection_age_grace, absl::Seconds(30),
          "After --max_connection_age, how long calls on the old connection may "
          "take before it is closed");
ABSL_FLAG(int, max_concurrent_streams, 256,
          "Calls one client connection may have in flight at once; a client "
          "queues more until one ends");
ABSL_FLAG(absl::Duration, listener_probe_interval, absl::Seconds(5),
          "How often the server checks that its listening port accepts a new "
          "connection; after 3 checks in a row fail it turns NOT_SERVING, drains "
          "and exits 4. 0 turns the check off");

namespace escalation::app {
namespace {

absl::Status NotNegative(const char* flag, absl::Duration value) {
  if (value >= absl::ZeroDuration()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": must not be negative"));
}

}  // namespace

absl::Status SetConnectionOptions(ServerOptions* options) {
  ConnectionLimits& limits = options->connections;
  limits.max_idle = absl::GetFlag(FLAGS_max_connection_idle);
  limits.max_age = absl::GetFlag(FLAGS_max_connection_age);
  limits.max_age_grace = absl::GetFlag(FLAGS_max_connection_age_grace);
  limits.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  for (auto [flag, value] : {std::pair{"max_connection_idle", limits.max_idle},
                             std::pair{"max_connection_age", limits.max_age},
                             std::pair{"max_connection_age_grace", limits.max_age_grace},
                             std::pair{"listener_probe_interval", ListenerProbeInterval()}}) {
    if (absl::Status s = NotNegative(flag, value); !s.ok()) return s;
  }
  if (limits.max_concurrent_streams < 1) {
    return absl::InvalidArgumentError("--max_concurrent_streams: must be at least 1");
  }
  return absl::OkStatus();
}

absl::Duration ListenerProbeInterval() { return absl::GetFlag(FLAGS_listener_probe_interval); }

}  // namespace escalation::app
