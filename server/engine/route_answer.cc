#include "server/engine/route_answer.h"

namespace escalation::host {

const v1::RouteResponse& RouteAnswer::response() const {
  if (message_ == nullptr) {
    auto* parsed = google::protobuf::Arena::CreateMessage<v1::RouteResponse>(arena_);
    // The bytes were checked as protobuf parses them when they were written.
    parsed->ParseFromString(bytes_->bytes);
    message_ = parsed;
  }
  return *message_;
}

}  // namespace escalation::host
