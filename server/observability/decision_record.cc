#include "server/observability/decision_record.h"

#include <algorithm>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/logging/json.h"

namespace escalation::observability {
namespace {

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

std::string MessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) {
    return "null";
  }
  return json;
}

template <typename Enum>
std::string EnumName(Enum value) {
  const auto* known =
      google::protobuf::GetEnumDescriptor<Enum>()->FindValueByNumber(static_cast<int>(value));
  return known != nullptr ? JsonQuote(known->name()) : absl::StrCat(static_cast<int>(value));
}

std::string RuleJson(const v1::MatchedRule& rule) {
  return JsonObject()
      .AddString("rule_id", rule.rule_id())
      .AddString("plugin", rule.plugin())
      .AddString("plugin_version", rule.plugin_version())
      .Finish();
}

template <typename Rules>
std::string RulesJson(const Rules& rules) {
  std::vector<std::string> out;
  for (const v1::MatchedRule& rule : rules) out.push_back(RuleJson(rule));
  return JsonArray(out);
}

void AddRouteOutcome(const v1::RouteResponse& response, JsonObject* line) {
  const v1::Decision& decision = response.decision();
  std::vector<std::string> records;
  for (const v1::RequiredRecord& record : decision.required_records()) {
    records.push_back(JsonObject()
                          .AddRaw("system", EnumName(record.system()))
                          .AddRaw("kind", EnumName(record.kind()))
                          .Finish());
  }
  line->AddRaw("outcome",
                JsonObject()
                    .AddRaw("action", EnumName(decision.action()))
                    .AddRaw("destination", EnumName(decision.destination()))
                    .AddBool("requires_supervisor_approval",
                             decision.requires_supervisor_approval())
                    .AddRaw("records", JsonArray(records))
                    .Finish());
  line->AddRaw("rules", RulesJson(decision.matched_rules()));
}

void AddValidationOutcome(const v1::ValidateTaskResponse& response, JsonObject* line) {
  std::vector<std::string> violations;
  for (const v1::Violation& violation : response.violations()) {
    violations.push_back(JsonObject()
                             .AddString("rule_id", violation.rule_id())
                             .AddString("field", violation.field())
                             .AddRaw("severity", EnumName(violation.severity()))
                             .AddString("message", violation.message())
                             .Finish());
  }
  std::vector<std::string> findings;
  for (const v1::Finding& finding : response.findings()) {
    findings.push_back(JsonObject()
                           .AddString("rule_id", finding.rule_id())
                           .AddString("code", finding.code())
                           .Finish());
  }
  line->AddRaw("outcome", JsonObject()
                              .AddBool("valid", response.valid())
                              .AddRaw("violations", JsonArray(violations))
                              .AddRaw("findings", JsonArray(findings))
                              .Finish());
  line->AddRaw("rules", RulesJson(response.checked_rules()));
}

bool IsLowerHex(absl::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsAllZero(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

}  // namespace

std::string TraceIdOf(absl::string_view traceparent) {
  // version "-" trace-id "-" parent-id "-" flags; a later version may add
  // fields after a further "-".
  if (traceparent.size() < 55) return "";
  const absl::string_view version = traceparent.substr(0, 2);
  const absl::string_view trace_id = traceparent.substr(3, 32);
  const absl::string_view parent_id = traceparent.substr(36, 16);
  const absl::string_view flags = traceparent.substr(53, 2);
  if (traceparent[2] != '-' || traceparent[35] != '-' || traceparent[52] != '-') return "";
  if (!IsLowerHex(version) || version == "ff" || !IsLowerHex(trace_id) ||
      !IsLowerHex(parent_id) || !IsLowerHex(flags) || IsAllZero(trace_id) ||
      IsAllZero(parent_id)) {
    return "";
  }
  if (traceparent.size() > 55 && (version == "00" || traceparent[55] != '-')) return "";
  return std::string(trace_id);
}

std::string NewDecisionId() {
  thread_local absl::BitGen bits;
  return absl::StrCat(absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16),
                      absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16));
}

std::string FormatDecisionLine(DecisionRecord& record, const FieldMasks& masks) {
  JsonObject line;
  line.AddString("schema", kDecisionLogSchema)
      .AddString("decision_id", record.decision_id)
      .AddString("time", Rfc3339(record.received))
      .AddString("evaluation_time", Rfc3339(record.evaluation_time))
      .AddString("method", record.method);
  if (const auto* route = dynamic_cast<const v1::RouteRequest*>(record.request.get())) {
    line.AddString("call_id", route->call().call_id());
  } else if (const auto* validate =
                 dynamic_cast<const v1::ValidateTaskRequest*>(record.request.get())) {
    line.AddString("task_id", validate->task().task_id());
  }
  if (!record.peer.empty()) line.AddString("peer", record.peer);
  if (!record.peer_subject.empty()) line.AddString("peer_subject", record.peer_subject);
  if (const std::string trace_id = TraceIdOf(record.traceparent); !trace_id.empty()) {
    line.AddString("traceparent", record.traceparent).AddString("trace_id", trace_id);
  }
  line.AddString("status", absl::StatusCodeToString(record.status.code()));
  if (!record.status.ok()) line.AddString("error", record.status.message());
  line.AddInt("latency_us", absl::ToInt64Microseconds(record.latency));
  if (record.request != nullptr) {
    masks.Apply(record.request.get());
    line.AddRaw("request", MessageJson(*record.request));
  }
  if (const auto* route = dynamic_cast<const v1::RouteResponse*>(record.response.get())) {
    AddRouteOutcome(*route, &line);
  } else if (const auto* validation =
                 dynamic_cast<const v1::ValidateTaskResponse*>(record.response.get())) {
    AddValidationOutcome(*validation, &line);
  }
  return line.Finish();
}

}  // namespace escalation::observability
