// The libraries' own log lines go through the server's JSON logger and a
// throttle, so hostile input cannot flood the server's log: protobuf's (e.g.
// "String field ... contains invalid UTF-8 data", one per bad request) and
// gRPC's (e.g. "Handshake failed ...", one per plaintext client on a TLS
// port). When lines were suppressed, the next line written says how many.
#ifndef ESCALATION_SERVER_APP_PROTOBUF_LOG_H_
#define ESCALATION_SERVER_APP_PROTOBUF_LOG_H_

#include "server/logging/log_throttle.h"

namespace escalation::app {

using LogThrottle = observability::LogThrottle;

// Installs, with google::protobuf::SetLogHandler, a handler that writes
// protobuf's log lines as "protobuf_log" events ("protobuf LEVEL file:line:
// message"), at most `max_lines_per_second` a second. FATAL lines are always
// written. Call once at start-up, before serving.
void InstallProtobufLogHandler(int max_lines_per_second = 10);

// Installs, with gpr_set_log_function, a handler that writes gRPC's log
// lines as "grpc_log" events (fields file, line, severity), at most
// `max_lines_per_second` a second. Call once
// at start-up, before gRPC starts.
void InstallGrpcLogHandler(int max_lines_per_second = 10);

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_PROTOBUF_LOG_H_
