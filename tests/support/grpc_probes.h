// Clients for the standard services the server exposes but Debian's gRPC
// ships no stubs for: grpc.health.v1 (wire format written by hand; it is two
// fields) and server reflection (messages from the generated pool that
// libgrpc++_reflection registers).
#ifndef ESCALATION_TESTS_SUPPORT_GRPC_PROBES_H_
#define ESCALATION_TESTS_SUPPORT_GRPC_PROBES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace escalation::test {

// A unary call with `request` as raw bytes; the response's bytes, or the
// call's status as an absl::Status.
absl::StatusOr<std::string> CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                                    const std::string& method, const std::string& request);

// grpc.health.v1.Health/Check: the ServingStatus number (1 is SERVING).
absl::StatusOr<int> HealthCheck(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& service);

// The service names server reflection lists.
absl::StatusOr<std::vector<std::string>> ReflectedServices(
    const std::shared_ptr<grpc::Channel>& channel);

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_SUPPORT_GRPC_PROBES_H_
