// Transport security for the server: the credentials its listening port uses.
// No files: plaintext (for a trusted network or a sidecar that terminates
// TLS). A certificate and key: TLS. A client CA as well: mutual TLS, where a
// client without a certificate signed by that CA is refused in the handshake.
#ifndef ESCALATION_SERVER_APP_TLS_H_
#define ESCALATION_SERVER_APP_TLS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/server_credentials.h"

namespace escalation::app {

// PEM file paths, as --tls_cert, --tls_key and --tls_client_ca give them.
struct TlsFiles {
  std::string cert;
  std::string key;
  std::string client_ca;

  bool enabled() const { return !cert.empty() || !key.empty() || !client_ca.empty(); }
};

// Insecure credentials when no file is given. INVALID_ARGUMENT naming the
// flag when a certificate comes without its key (or the reverse), a client CA
// without a server certificate, a file that cannot be read or holds no PEM,
// or a key that is not the certificate's (naming both files).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsFiles& files);

// The contents of a PEM file; INVALID_ARGUMENT naming `flag` and `path` when
// it cannot be read or has no "-----BEGIN" block. Shared with the clients.
absl::StatusOr<std::string> ReadPemFile(absl::string_view flag, const std::string& path);

}  // namespace escalation::app

#endif  // ESCALATION_SERVER_APP_TLS_H_
