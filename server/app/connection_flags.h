// The flags that bound what client connections may hold (idle time, age,
// concurrent calls) and how often the server checks that it still accepts
// new ones. Defaults are in docs/operations.md.
#ifndef ESCALATION_SERVER_APP_CONNECTION_FLAGS_H_
#define ESCALATION_SERVER_APP_CONNECTION_FLAGS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/app/escalation_server.h"

namespace escalation::app {

// Sets `options->connections` from the flags; INVALID_ARGUMENT naming the
// flag for a negative value.
absl::Status SetConnectionOptions(ServerOptions* options);

// --listener_probe_interval; zero when the listener is not probed.
absl::Duration ListenerProbeInterval();

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_CONNECTION_FLAGS_H_
