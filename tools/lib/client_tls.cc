#include "tools/lib/client_tls.h"

#include "absl/strings/str_replace.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "server/app/tls.h"

namespace escalation::tools {

const char kClientTlsUsage[] =
    "  --tls_ca FILE           verify the server's certificate against this CA (turns TLS on)\n"
    "  --tls_cert FILE         client certificate for mutual TLS (with --tls_key)\n"
    "  --tls_key FILE          the client certificate's private key\n"
    "  --tls_server_name NAME  name expected in the server's certificate, if not the host\n";

bool SetClientTlsFlag(absl::string_view name, const std::string& value, ClientTls* tls) {
  const std::string normalized = absl::StrReplaceAll(name, {{"-", "_"}});
  if (normalized == "tls_ca") {
    tls->ca = value;
  } else if (normalized == "tls_cert") {
    tls->cert = value;
  } else if (normalized == "tls_key") {
    tls->key = value;
  } else if (normalized == "tls_server_name") {
    tls->server_name = value;
  } else {
    return false;
  }
  return true;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const std::string& target,
                                                       const ClientTls& tls,
                                                       grpc::ChannelArguments args) {
  if (!tls.enabled()) {
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  }
  if (tls.cert.empty() != tls.key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  grpc::SslCredentialsOptions options;
  if (!tls.ca.empty()) {  // Otherwise gRPC's default roots.
    auto ca = app::ReadPemFile("tls_ca", tls.ca);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  if (!tls.cert.empty()) {
    auto cert = app::ReadPemFile("tls_cert", tls.cert);
    if (!cert.ok()) return cert.status();
    auto key = app::ReadPemFile("tls_key", tls.key);
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  if (!tls.server_name.empty()) args.SetSslTargetNameOverride(tls.server_name);
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(options), args);
}

}  // namespace escalation::tools
