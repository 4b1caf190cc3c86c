// absl::Status <-> grpc::Status, keeping the code and the message.
#ifndef ESCALATION_SERVER_SERVICES_STATUS_CONVERSION_H_
#define ESCALATION_SERVER_SERVICES_STATUS_CONVERSION_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace escalation::services {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbering.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

inline absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace escalation::services

#endif  // ESCALATION_SERVER_SERVICES_STATUS_CONVERSION_H_
