#include "server/app/protobuf_log.h"

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "grpc/support/log.h"
#include "server/logging/logger.h"

namespace escalation::app {
namespace {

namespace obs = ::escalation::observability;

// The libraries' messages quote names, not values, but a bound keeps one
// line a line.
constexpr size_t kMaxMessageBytes = 500;

std::string Bounded(absl::string_view message) {
  if (message.size() <= kMaxMessageBytes) return std::string(message);
  return absl::StrCat(message.substr(0, kMaxMessageBytes), "…");
}

// Leaked on purpose: library threads may log until the process exits.
obs::SharedLogThrottle* protobuf_throttle = nullptr;
obs::SharedLogThrottle* grpc_throttle = nullptr;

const char* LevelName(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO: return "INFO";
    case google::protobuf::LOGLEVEL_WARNING: return "WARNING";
    case google::protobuf::LOGLEVEL_ERROR: return "ERROR";
    case google::protobuf::LOGLEVEL_FATAL: return "FATAL";
  }
  return "?";
}

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                       const std::string& message) {
  const std::string text = absl::StrCat("protobuf ", LevelName(level), " ", filename, ":",
                                        line, ": ", Bounded(message));
  if (level == google::protobuf::LOGLEVEL_FATAL) {
    obs::Logger::Default().Error("protobuf_log", text);
    return;
  }
  obs::LogThrottled(obs::Logger::Default(), *protobuf_throttle, obs::LogLevel::kWarning,
                    "protobuf", "protobuf_log", text);
}

obs::LogLevel LevelOf(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG: return obs::LogLevel::kDebug;
    case GPR_LOG_SEVERITY_INFO: return obs::LogLevel::kInfo;
    case GPR_LOG_SEVERITY_ERROR: return obs::LogLevel::kError;
  }
  return obs::LogLevel::kInfo;
}

void HandleGrpcLog(gpr_log_func_args* args) {
  obs::LogThrottled(obs::Logger::Default(), *grpc_throttle, LevelOf(args->severity), "grpc",
                    "grpc_log", Bounded(args->message != nullptr ? args->message : ""),
                    {obs::StrField("file", args->file != nullptr ? args->file : ""),
                     obs::IntField("line", args->line)});
}

}  // namespace

void InstallProtobufLogHandler(int max_lines_per_second) {
  if (protobuf_throttle == nullptr) {
    protobuf_throttle = new obs::SharedLogThrottle("protobuf_log", max_lines_per_second);
  }
  google::protobuf::SetLogHandler(&HandleProtobufLog);
}

void InstallGrpcLogHandler(int max_lines_per_second) {
  if (grpc_throttle == nullptr) {
    grpc_throttle = new obs::SharedLogThrottle("grpc_log", max_lines_per_second);
  }
  gpr_set_log_function(&HandleGrpcLog);
}

}  // namespace escalation::app
