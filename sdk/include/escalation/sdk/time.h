// Conversions between protobuf time messages and Abseil time.
#ifndef ESCALATION_SDK_TIME_H_
#define ESCALATION_SDK_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace escalation::sdk {

absl::Time FromProto(const google::protobuf::Timestamp& timestamp);
absl::Duration FromProto(const google::protobuf::Duration& duration);
google::protobuf::Timestamp ToProto(absl::Time time);
google::protobuf::Duration ToProto(absl::Duration duration);

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_TIME_H_
