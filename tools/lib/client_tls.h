// The client side of the server's TLS, shared by escalationctl,
// escalation-policy-test --server and escalation-loadgen, which all take the
// same flags:
//   --tls_ca FILE           verify the server against this CA (turns TLS on)
//   --tls_cert FILE --tls_key FILE
//                           present this client certificate (mutual TLS)
//   --tls_server_name NAME  the name expected in the server's certificate,
//                           when it differs from the host in --server
// Without any of them the channel is plaintext.
#ifndef ESCALATION_TOOLS_LIB_CLIENT_TLS_H_
#define ESCALATION_TOOLS_LIB_CLIENT_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace escalation::tools {

struct ClientTls {
  std::string ca;
  std::string cert;
  std::string key;
  std::string server_name;

  bool enabled() const { return !ca.empty() || !cert.empty() || !key.empty(); }
};

// Sets the option a flag names ("tls_ca" or "tls-ca", ...); false when `name`
// is not a TLS flag, so a caller's own parser can try it next.
bool SetClientTlsFlag(absl::string_view name, const std::string& value, ClientTls* tls);

// The usage text of the flags above, for a tool's --help.
extern const char kClientTlsUsage[];

// A channel to `target` with `tls` (plaintext when !tls.enabled()).
// INVALID_ARGUMENT naming the flag when a file cannot be read or a
// certificate comes without its key.
absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const std::string& target,
                                                       const ClientTls& tls,
                                                       grpc::ChannelArguments args = {});

}  // namespace escalation::tools

#endif  // ESCALATION_TOOLS_LIB_CLIENT_TLS_H_
