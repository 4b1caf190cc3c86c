// escalation-policy-test: runs policy case files (docs/policy-cases.md)
// against plugins loaded in process through the server's own plugin host.
//
// A relative --plugin PATH is resolved against the working directory.
//
//   escalation-policy-test --plugin PATH [--plugin PATH...]
//       [--plugin_config NAME=PATH...] [--verbose] CASES_DIR_OR_FILE...
//   escalation-policy-test --server HOST:PORT [--verbose] CASES_DIR_OR_FILE...
//
// With --server the cases go over gRPC to a running server instead.
// A CASES argument may be a Markdown document: its ```json examples run too
// (docs/policy-cases.md). A case whose expectations name a rule id no loaded
// plugin declares fails. In process, a route case on which two plugins tie at
// the top priority with different outcomes prints a WARN line (it still
// passes or fails on its expectations).
//
// Exit 0 only when every case passed and at least one ran; 1 when a case
// failed or a case file is malformed; 2 on a usage error or a plugin that
// does not load.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "escalation/v1/service.grpc.pb.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "server/loader/plugin_loader.h"
#include "server/wire/fixed_texts.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/policy_engine.h"
#include "server/services/status_conversion.h"
#include "tools/policy_test/case_check.h"
#include "tools/policy_test/case_file.h"
#include "tools/lib/client_tls.h"
#include "tools/policy_test/tie_check.h"

namespace escalation::policy_test {
namespace {

constexpr char kUsage[] =
    "usage: escalation-policy-test --plugin PATH [--plugin PATH...]\n"
    "           [--plugin_config NAME=PATH...] [--verbose] CASES_DIR_OR_FILE...\n"
    "       escalation-policy-test --server HOST:PORT [--tls_ca FILE [--tls_cert FILE\n"
    "           --tls_key FILE] [--tls_server_name NAME]] [--verbose] CASES_DIR_OR_FILE...\n"
    "A --plugin PATH is absolute or relative to the working directory; the\n"
    "server's trust rules apply to the file it names. A plugin's configuration\n"
    "is <plugin name>.json beside its .so unless --plugin_config names another file.\n";

struct Options {
  host::LoadOptions load;
  std::string server;  // When set, cases go over gRPC to this address.
  tools::ClientTls tls;
  std::vector<std::string> case_paths;
  bool verbose = false;
};

int UsageError(const std::string& message) {
  std::cerr << "escalation-policy-test: " << message << "\n" << kUsage;
  return 2;
}

// Accepts "--flag VALUE" and "--flag=VALUE"; '-' and '_' are the same in names.
absl::StatusOr<Options> ParseArgs(const std::vector<std::string>& args) {
  Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (!absl::StartsWith(arg, "--")) {
      options.case_paths.push_back(arg);
      continue;
    }
    std::string value;
    bool has_value = false;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    for (char& c : arg) {
      if (c == '_') c = '-';
    }
    if (arg == "--verbose") {
      options.verbose = true;
      continue;
    }
    const bool tls_flag = arg == "--tls-ca" || arg == "--tls-cert" || arg == "--tls-key" ||
                          arg == "--tls-server-name";
    if (!tls_flag && arg != "--plugin" && arg != "--plugin-config" && arg != "--server") {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", args[i]));
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(arg + " needs a value");
      value = args[++i];
    }
    if (arg == "--plugin") {
      // Relative to the working directory, as a shell user means it; the
      // loader's trust rules then apply to the file this names.
      options.load.plugin_paths.push_back(value.empty() ? value
                                                        : std::filesystem::absolute(value).string());
      continue;
    }
    if (tls_flag) {
      tools::SetClientTlsFlag(arg.substr(2), value, &options.tls);
      continue;
    }
    if (arg == "--server") {
      options.server = value;
      continue;
    }
    const size_t eq = value.find('=');
    if (eq == std::string::npos || eq == 0) {
      return absl::InvalidArgumentError("--plugin_config takes NAME=PATH, got " + value);
    }
    options.load.config_paths[value.substr(0, eq)] = value.substr(eq + 1);
  }
  if (options.load.plugin_paths.empty() == options.server.empty()) {
    return absl::InvalidArgumentError("give either --plugin or --server");
  }
  if (options.case_paths.empty()) return absl::InvalidArgumentError("no case file or directory");
  return options;
}

// Where cases are sent: the plugin host in process, or a server over gRPC.
class Target {
 public:
  virtual ~Target() = default;
  virtual absl::StatusOr<v1::RouteResponse> Route(const v1::RouteRequest& r) = 0;
  virtual absl::StatusOr<v1::ValidateTaskResponse> ValidateTask(
      const v1::ValidateTaskRequest& r) = 0;
  // Every rule id the loaded plugins declare.
  virtual absl::StatusOr<std::set<std::string>> DeclaredRuleIds() = 0;
  // Every record type id they declare; nullopt when not known (over gRPC).
  virtual std::optional<std::set<std::string>> DeclaredRecordTypes() { return std::nullopt; }
  // A warning when the call's decision hangs on plugin order (tie_check.h);
  // only known in process.
  virtual std::optional<std::string> Tie(const v1::RouteRequest&) { return std::nullopt; }
};

std::set<std::string> RuleIdsOf(const v1::PluginInfo& plugin, std::set<std::string> ids) {
  for (const v1::RuleInfo& rule : plugin.manifest().rules()) ids.insert(rule.id());
  return ids;
}

class InProcessTarget : public Target {
 public:
  explicit InProcessTarget(std::shared_ptr<const host::PluginRegistry> registry)
      : registry_(registry), engine_(std::move(registry)) {}
  absl::StatusOr<v1::RouteResponse> Route(const v1::RouteRequest& r) override {
    return engine_.Route(r, absl::Now());
  }
  absl::StatusOr<v1::ValidateTaskResponse> ValidateTask(
      const v1::ValidateTaskRequest& r) override {
    return engine_.ValidateTask(r, absl::Now());
  }
  absl::StatusOr<std::set<std::string>> DeclaredRuleIds() override {
    std::set<std::string> ids;
    for (const auto& plugin : registry_->plugins()) ids = RuleIdsOf(plugin->info(), ids);
    return ids;
  }
  std::optional<std::set<std::string>> DeclaredRecordTypes() override {
    std::set<std::string> ids;
    for (const auto& plugin : registry_->plugins()) {
      for (const auto& type : plugin->info().manifest().record_types()) ids.insert(type.id());
    }
    return ids;
  }
  std::optional<std::string> Tie(const v1::RouteRequest& r) override {
    v1::PluginRouteRequest request;
    *request.mutable_call() = r.call();
    *request.mutable_evaluation_time() =
        r.has_evaluation_time() ? r.evaluation_time()
                                : google::protobuf::util::TimeUtil::GetCurrentTime();
    std::vector<PluginProposals> answers;
    for (const host::Plugin* plugin : registry_->RoutersFor(r.call().department())) {
      std::promise<absl::StatusOr<std::string>> reply;
      std::future<absl::StatusOr<std::string>> bytes = reply.get_future();
      plugin->Call(host::PluginMethod::kRoute, request.SerializeAsString(),
                   absl::Now() + absl::Seconds(10),
                   [&reply](absl::StatusOr<absl::string_view> answer) mutable {
                     reply.set_value(host::OwnedAnswer(answer));
                   });
      absl::StatusOr<std::string> answer = bytes.get();
      PluginProposals proposals{plugin->name(), {}};
      std::string expanded;
      bool cites = false;
      if (answer.ok() && host::ExpandCitations(*plugin, *v1::PluginRouteResponse::descriptor(), *answer, &expanded, &cites).ok() && cites) {
        *answer = std::move(expanded);
      }
      if (answer.ok() && proposals.response.ParseFromString(*answer)) {
        answers.push_back(std::move(proposals));
      }
    }
    return TopPriorityTie(answers);
  }

 private:
  const std::shared_ptr<const host::PluginRegistry> registry_;
  const host::PolicyEngine engine_;
};

class GrpcTarget : public Target {
 public:
  explicit GrpcTarget(const std::shared_ptr<grpc::Channel>& channel) {
    routing_ = v1::RoutingService::NewStub(channel);
    validation_ = v1::TaskValidationService::NewStub(channel);
    plugins_ = v1::PluginService::NewStub(channel);
  }
  absl::StatusOr<std::set<std::string>> DeclaredRuleIds() override {
    auto listed = Call<v1::ListPluginsResponse>(
        [&](grpc::ClientContext* c, v1::ListPluginsResponse* out) {
          return plugins_->ListPlugins(c, v1::ListPluginsRequest(), out);
        });
    if (!listed.ok()) return listed.status();
    std::set<std::string> ids;
    for (const v1::PluginInfo& plugin : listed->plugins()) ids = RuleIdsOf(plugin, ids);
    return ids;
  }
  absl::StatusOr<v1::RouteResponse> Route(const v1::RouteRequest& r) override {
    return Call<v1::RouteResponse>([&](grpc::ClientContext* c, v1::RouteResponse* out) {
      return routing_->Route(c, r, out);
    });
  }
  absl::StatusOr<v1::ValidateTaskResponse> ValidateTask(
      const v1::ValidateTaskRequest& r) override {
    return Call<v1::ValidateTaskResponse>(
        [&](grpc::ClientContext* c, v1::ValidateTaskResponse* out) {
      return validation_->ValidateTask(c, r, out);
    });
  }

 private:
  // Makes one call with a deadline; a gRPC error becomes the same absl code.
  template <typename Response, typename Send>
  static absl::StatusOr<Response> Call(Send send) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    Response response;
    const grpc::Status status = send(&context, &response);
    if (!status.ok()) return services::FromGrpcStatus(status);
    return response;
  }

  std::unique_ptr<v1::RoutingService::Stub> routing_;
  std::unique_ptr<v1::TaskValidationService::Stub> validation_;
  std::unique_ptr<v1::PluginService::Stub> plugins_;
};

struct CaseResult {
  std::vector<std::string> failures;  // None: the case passed.
  std::string answer;                 // What the call answered, when it was made.
};

CaseResult RunCase(const PolicyCase& policy_case, const std::set<std::string>& declared,
                   Target& target) {
  std::vector<std::string> unknown = CheckRuleIdsDeclared(policy_case, declared);
  if (!unknown.empty()) return {std::move(unknown), ""};
  if (policy_case.route) {
    auto response = target.Route(*policy_case.route);
    const google::protobuf::Message* answer = response.ok() ? &*response : nullptr;
    CaseResult result{CheckOutcome(policy_case, response.status(), answer),
                      DescribeAnswer(response.status(), answer)};
    if (auto types = target.DeclaredRecordTypes(); types && response.ok()) {
      for (std::string& f : CheckRecordTypesDeclared(*response, *types)) {
        result.failures.push_back(std::move(f));
      }
    }
    return result;
  }
  auto response = target.ValidateTask(*policy_case.validate);
  const google::protobuf::Message* answer = response.ok() ? &*response : nullptr;
  return {CheckOutcome(policy_case, response.status(), answer),
          DescribeAnswer(response.status(), answer)};
}

int Run(const Options& options) {
  std::unique_ptr<Target> target;
  if (!options.server.empty()) {
    auto channel = tools::Connect(options.server, options.tls);
    if (!channel.ok()) {
      std::cerr << "escalation-policy-test: " << channel.status().message() << "\n";
      return 2;
    }
    target = std::make_unique<GrpcTarget>(*channel);
  } else {
    auto registry = host::LoadPluginRegistry(options.load);
    if (!registry.ok()) {
      std::cerr << "escalation-policy-test: " << registry.status().message() << "\n";
      return 2;
    }
    target = std::make_unique<InProcessTarget>(*registry);
  }
  auto declared = target->DeclaredRuleIds();
  if (!declared.ok()) {
    std::cerr << "escalation-policy-test: cannot list the plugins' rules: "
              << declared.status().message() << "\n";
    return 2;
  }
  int passed = 0, failed = 0;
  for (const std::string& path : options.case_paths) {
    auto files = FindCaseFiles(path);
    if (!files.ok()) {
      std::cout << "ERROR " << files.status().message() << "\n";
      ++failed;
      continue;
    }
    for (const std::string& file : *files) {
      auto cases = LoadCaseFile(file);
      if (!cases.ok()) {
        std::cout << "ERROR " << cases.status().message() << "\n";
        ++failed;
        continue;
      }
      for (const PolicyCase& policy_case : *cases) {
        const CaseResult result = RunCase(policy_case, *declared, *target);
        const std::vector<std::string>& failures = result.failures;
        const std::string title = absl::StrCat(file, ": ", policy_case.name);
        if (policy_case.route) {
          if (auto tie = target->Tie(*policy_case.route)) {
            std::cout << "WARN " << title << "\n  " << *tie << "\n";
          }
        }
        if (failures.empty()) {
          ++passed;
          if (options.verbose) std::cout << "PASS " << title << "\n";
          continue;
        }
        ++failed;
        std::cout << "FAIL " << title << "\n";
        for (const std::string& failure : failures) std::cout << "  " << failure << "\n";
        if (!result.answer.empty()) std::cout << "  the answer:\n" << result.answer;
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}

}  // namespace
}  // namespace escalation::policy_test

int main(int argc, char** argv) {
  using namespace escalation::policy_test;
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  auto options = ParseArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) return UsageError(std::string(options.status().message()));
  return Run(*options);
}
