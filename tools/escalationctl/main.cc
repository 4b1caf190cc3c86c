// escalationctl: a command-line client of the escalation policy service.
// Exit codes: 0 ok, 1 the task is invalid (validate), 2 usage error,
// 3 the RPC failed (the gRPC status is printed on stderr).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "escalation/v1/service.grpc.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "tools/escalationctl/command_line.h"
#include "tools/escalationctl/printer.h"
#include "tools/escalationctl/request_flags.h"
#include "tools/lib/client_tls.h"

namespace escalationctl {
namespace {

namespace v1 = ::escalation::v1;

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;
constexpr int kExitRpcError = 3;

constexpr char kUsage[] = R"(usage: escalationctl COMMAND [FLAGS]

Commands:
  route      where a call goes, what to say and record, and why
  validate   whether a task (CRM record) follows policy; exit 1 when invalid
  plugins    the department plugins the server has loaded
  health     the server's grpc.health.v1 status
  help [COMMAND]   this text, or every flag of COMMAND
                   (also --help or -h, after COMMAND or alone)

Connection (every command):
  --server HOST:PORT  default localhost:50051 (plaintext unless a --tls_ flag is given)
  --deadline DURATION default 5s, e.g. 500ms, 10s
%TLS%
Input (route, validate):
  --input FILE|-      a RouteRequest / ValidateTaskRequest in the protobuf JSON
                      mapping; flags given as well are applied on top
  --FACT ...          one flag per call fact / task field; see `escalationctl help route`

Output:
  --json              the response in the protobuf JSON mapping

Examples:
  escalationctl route --department customer-service --reason cancel-contract
  escalationctl route --department CUSTOMER_SERVICE --reason SUPERVISOR_REQUEST \
      --de-escalation-failed --site Tampa --queue-wait 4m --at 2026-11-23T15:00:00Z
  escalationctl validate --input task.json
  escalationctl plugins
)";

struct Options {
  std::string server = "localhost:50051";
  absl::Duration deadline = absl::Seconds(5);
  std::string input;
  bool json = false;
  std::string health_service;
  escalation::tools::ClientTls tls;
};

int UsageError(absl::string_view message) {
  std::cerr << "escalationctl: " << message << "\n(see escalationctl help)\n";
  return kExitUsage;
}

int RpcError(const grpc::Status& status) {
  std::cerr << "escalationctl: RPC failed: "
            << absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()))
            << ": " << status.error_message() << "\n";
  return kExitRpcError;
}

bool IsConnectionFlag(absl::string_view name) {
  static const std::set<std::string, std::less<>> names = {
      "server", "deadline", "input", "json", "service",
      "tls-ca", "tls-cert", "tls-key", "tls-server-name"};
  return names.count(name) > 0;
}

// --help and -h, anywhere on the line; they take no value.
bool IsHelpFlag(absl::string_view name) { return name == "help" || name == "h"; }

// Reads --server, --deadline, --input, --json, --service; returns the rest
// (without --help, which Run reads).
absl::StatusOr<std::vector<Flag>> TakeOptions(const std::vector<Flag>& flags,
                                              Options* options) {
  std::vector<Flag> rest;
  for (const Flag& flag : flags) {
    if (IsHelpFlag(flag.name)) continue;
    if (!IsConnectionFlag(flag.name)) {
      rest.push_back(flag);
      continue;
    }
    if (flag.name == "json") {
      options->json = !flag.value.has_value() || *flag.value == "true";
      continue;
    }
    if (!flag.value.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat("--", flag.name, " needs a value"));
    }
    if (escalation::tools::SetClientTlsFlag(flag.name, *flag.value, &options->tls)) continue;
    if (flag.name == "server") options->server = *flag.value;
    if (flag.name == "input") options->input = *flag.value;
    if (flag.name == "service") options->health_service = *flag.value;
    if (flag.name == "deadline" &&
        (!absl::ParseDuration(*flag.value, &options->deadline) ||
         options->deadline <= absl::ZeroDuration())) {
      return absl::InvalidArgumentError(
          absl::StrCat("--deadline: expected a duration such as 5s, got '", *flag.value, "'"));
    }
  }
  return rest;
}

// The request from --input (if any), then each flag applied on top.
absl::Status BuildRequest(const Options& options, const RequestFlags& request_flags,
                          const std::vector<Flag>& flags,
                          google::protobuf::Message* request) {
  if (!options.input.empty()) {
    std::string json;
    if (options.input == "-") {
      json.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream file(options.input);
      if (!file) return absl::InvalidArgumentError(absl::StrCat("cannot read ", options.input));
      json.assign(std::istreambuf_iterator<char>(file), {});
    }
    const auto parsed = google::protobuf::util::JsonStringToMessage(json, request);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(options.input == "-" ? "stdin" : options.input, ": not a ",
                       request->GetDescriptor()->name(), ": ", std::string(parsed.message())));
    }
  }
  for (const Flag& flag : flags) {
    if (absl::Status status = request_flags.Apply(flag, request); !status.ok()) return status;
  }
  return absl::OkStatus();
}

void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  print.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, print);
  std::cout << json;
}

void SetDeadline(const Options& options, grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoNanoseconds(options.deadline));
}

// grpc.health.v1.Health/Check through the generic stub: the request is
// {1: service}, the answer {1: status enum}, read without generated code.
int Health(const Options& options, const std::shared_ptr<grpc::Channel>& channel) {
  google::protobuf::UnknownFieldSet request_fields;
  if (!options.health_service.empty()) {
    request_fields.AddLengthDelimited(1, options.health_service);
  }
  std::string request_bytes;
  request_fields.SerializeToString(&request_bytes);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1), response;
  grpc::ClientContext context;
  SetDeadline(options, &context);
  grpc::GenericStub stub(channel);
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response, [&done](grpc::Status s) { done.set_value(s); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) return RpcError(status);
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  std::string response_bytes;
  for (const grpc::Slice& s : slices) response_bytes.append(s.begin(), s.end());
  google::protobuf::UnknownFieldSet response_fields;
  int64_t code = 0;  // UNKNOWN when the field is absent.
  if (response_fields.ParseFromString(response_bytes)) {
    for (int i = 0; i < response_fields.field_count(); ++i) {
      const auto& field = response_fields.field(i);
      if (field.number() == 1 && field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
        code = static_cast<int64_t>(field.varint());
      }
    }
  }
  static const char* const kNames[] = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
  const std::string name = code >= 0 && code < 4 ? kNames[code] : absl::StrCat(code);
  if (options.json) {
    std::cout << "{\n  \"status\": \"" << name << "\"\n}\n";
  } else {
    std::cout << name << "\n";
  }
  return name == "SERVING" ? kExitOk : kExitRpcError;
}

// When a flag sets call.extensions, asks the server which extension facts its
// plugins declare, so that `--extension KEY=VALUE` is converted by KEY's type.
grpc::Status DeclareExtensionFacts(const Options& options,
                                   const std::shared_ptr<grpc::Channel>& channel,
                                   const std::vector<Flag>& flags, RequestFlags* request_flags) {
  if (std::none_of(flags.begin(), flags.end(), [&](const Flag& f) {
        return request_flags->SetsExtensions(f.name);
      })) {
    return grpc::Status::OK;
  }
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListPluginsResponse plugins;
  const grpc::Status status = v1::PluginService::NewStub(channel)->ListPlugins(
      &context, v1::ListPluginsRequest(), &plugins);
  if (status.ok()) request_flags->DeclareExtensionFacts(plugins);
  return status;
}

// The decision's id in the server's decision log, from the trailing metadata
// (not with --json, whose output is the response message alone).
void PrintDecisionId(const Options& options, const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  const auto id = trailers.find("escalation-decision-id");
  if (options.json || id == trailers.end()) return;
  std::cout << "\nDecision id: " << std::string(id->second.data(), id->second.size()) << "\n";
}

int Run(const std::vector<std::string>& args) {
  const RequestFlags route_flags = RequestFlags::ForRoute();
  const RequestFlags validate_flags = RequestFlags::ForValidate();
  auto flags_of = [&](absl::string_view command) -> const RequestFlags* {
    if (command == "route") return &route_flags;
    if (command == "validate") return &validate_flags;
    return nullptr;
  };
  auto line = ParseCommandLine(args, [&](absl::string_view command, absl::string_view name) {
    if (name == "json" || IsHelpFlag(name)) return false;
    if (IsConnectionFlag(name)) return true;
    const RequestFlags* request_flags = flags_of(command);
    return request_flags != nullptr && request_flags->TakesValue(name);
  });
  if (!line.ok()) return UsageError(line.status().message());
  const bool wants_help = std::any_of(line->flags.begin(), line->flags.end(),
                                      [](const Flag& f) { return IsHelpFlag(f.name); });
  Options options;
  auto rest = TakeOptions(line->flags, &options);
  if (!rest.ok() && !wants_help) return UsageError(rest.status().message());

  if (line->command == "help" || wants_help) {
    const std::string topic = line->command == "help"
                                  ? (line->positional.empty() ? "" : line->positional[0])
                                  : line->command;
    std::cout << absl::StrReplaceAll(kUsage, {{"%TLS%", escalation::tools::kClientTlsUsage}});
    if (const RequestFlags* request_flags = flags_of(topic)) {
      std::cout << "\nFlags of " << topic << ":\n" << request_flags->Help();
    }
    return kExitOk;
  }
  if (line->command.empty()) return UsageError("no command given");
  if (!line->positional.empty()) {
    return UsageError(absl::StrCat("unexpected argument '", line->positional[0], "'"));
  }
  const RequestFlags* request_flags = flags_of(line->command);
  if (request_flags == nullptr && line->command != "plugins" && line->command != "health") {
    return UsageError(absl::StrCat("unknown command '", line->command, "'"));
  }
  if (request_flags == nullptr && !rest->empty()) {
    return UsageError(absl::StrCat("unknown flag --", rest->front().name, " for ", line->command));
  }

  auto connected = escalation::tools::Connect(options.server, options.tls);
  if (!connected.ok()) return UsageError(connected.status().message());
  const std::shared_ptr<grpc::Channel>& channel = *connected;
  grpc::ClientContext context;
  SetDeadline(options, &context);
  if (line->command == "route") {
    RequestFlags route_flags_typed = *request_flags;
    if (const grpc::Status s = DeclareExtensionFacts(options, channel, *rest, &route_flags_typed);
        !s.ok()) {
      return RpcError(s);
    }
    v1::RouteRequest request;
    if (absl::Status s = BuildRequest(options, route_flags_typed, *rest, &request); !s.ok()) {
      return UsageError(s.message());
    }
    v1::RouteResponse response;
    const grpc::Status status =
        v1::RoutingService::NewStub(channel)->Route(&context, request, &response);
    if (!status.ok()) return RpcError(status);
    options.json ? PrintJson(response) : PrintRoute(response, std::cout);
    PrintDecisionId(options, context);
    return kExitOk;
  }
  if (line->command == "validate") {
    v1::ValidateTaskRequest request;
    if (absl::Status s = BuildRequest(options, *request_flags, *rest, &request); !s.ok()) {
      return UsageError(s.message());
    }
    v1::ValidateTaskResponse response;
    const grpc::Status status =
        v1::TaskValidationService::NewStub(channel)->ValidateTask(&context, request, &response);
    if (!status.ok()) return RpcError(status);
    options.json ? PrintJson(response) : PrintValidation(response, std::cout);
    PrintDecisionId(options, context);
    return response.valid() ? kExitOk : kExitInvalid;
  }
  if (line->command == "plugins") {
    v1::ListPluginsResponse response;
    const grpc::Status status = v1::PluginService::NewStub(channel)->ListPlugins(
        &context, v1::ListPluginsRequest(), &response);
    if (!status.ok()) return RpcError(status);
    options.json ? PrintJson(response) : PrintPlugins(response, std::cout);
    return kExitOk;
  }
  return Health(options, channel);
}

}  // namespace
}  // namespace escalationctl

int main(int argc, char** argv) {
  return escalationctl::Run(std::vector<std::string>(argv + 1, argv + argc));
}
