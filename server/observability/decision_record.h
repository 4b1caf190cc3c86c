// One Route or ValidateTask decision as the decision log keeps it, and its
// JSON line (schema "escalation.decision_log/v1", docs/decision-log.md).
// A record owns copies of the request and response, so the line can be
// formatted (and masked) off the request thread.
#ifndef ESCALATION_SERVER_OBSERVABILITY_DECISION_RECORD_H_
#define ESCALATION_SERVER_OBSERVABILITY_DECISION_RECORD_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/observability/field_masks.h"

namespace escalation::observability {

inline constexpr char kDecisionLogSchema[] = "escalation.decision_log/v1";

struct DecisionRecord {
  std::string decision_id;
  std::string method;        // "Route" or "ValidateTask".
  absl::Time received;       // When the call arrived.
  absl::Time evaluation_time;  // The instant the policy was evaluated at.
  absl::Duration latency;
  absl::Status status;
  // Who asked: the caller's address as gRPC names it ("ipv4:127.0.0.1:40000"),
  // and the subject of its client certificate under mutual TLS ("" without).
  std::string peer;
  std::string peer_subject;
  // The caller's W3C traceparent when it sent a valid one, else "".
  std::string traceparent;
  // A RouteRequest or ValidateTaskRequest.
  std::unique_ptr<google::protobuf::Message> request;
  // The matching response; null unless `status` is OK.
  std::unique_ptr<google::protobuf::Message> response;
};

// The trace id (32 lowercase hex digits) of a W3C traceparent header
// ("00-<trace id>-<parent id>-<flags>"), or "" when `traceparent` is not a
// valid one.
std::string TraceIdOf(absl::string_view traceparent);

// A new decision id: 32 lowercase hex digits (128 random bits).
std::string NewDecisionId();

// The record as one JSON line (no newline), `masks` applied to the request.
// Consumes the record's request (it is masked in place).
std::string FormatDecisionLine(DecisionRecord& record, const FieldMasks& masks);

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_DECISION_RECORD_H_
