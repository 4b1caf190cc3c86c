#include "server/app/tls.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "openssl/bio.h"
#include "openssl/evp.h"
#include "openssl/pem.h"
#include "openssl/x509.h"

namespace escalation::app {
namespace {

// INVALID_ARGUMENT naming both files unless the first certificate in `cert`
// is the one `key` is the private key of (gRPC would only fail to listen).
absl::Status CheckKeyMatchesCertificate(const TlsFiles& files, const std::string& cert,
                                        const std::string& key) {
  BIO* cert_bio = BIO_new_mem_buf(cert.data(), static_cast<int>(cert.size()));
  X509* x509 = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  BIO_free(cert_bio);
  BIO* key_bio = BIO_new_mem_buf(key.data(), static_cast<int>(key.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  absl::Status status;
  if (x509 == nullptr) {
    status = absl::InvalidArgumentError(
        absl::StrCat("--tls_cert: ", files.cert, " holds no readable certificate"));
  } else if (pkey == nullptr) {
    status = absl::InvalidArgumentError(absl::StrCat(
        "--tls_key: ", files.key, " holds no readable (unencrypted) private key"));
  } else if (X509_check_private_key(x509, pkey) != 1) {
    status = absl::InvalidArgumentError(absl::StrCat(
        "--tls_key: ", files.key, " is not the private key of the certificate in --tls_cert ",
        files.cert));
  }
  X509_free(x509);
  EVP_PKEY_free(pkey);
  return status;
}

}  // namespace

absl::StatusOr<std::string> ReadPemFile(absl::string_view flag, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": cannot read ", path, ": ", std::strerror(errno)));
  }
  std::string pem((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!absl::StrContains(pem, "-----BEGIN ")) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", path, " holds no PEM block"));
  }
  return pem;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsFiles& files) {
  if (!files.enabled()) return grpc::InsecureServerCredentials();
  if (files.cert.empty() || files.key.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key go together (and --tls_client_ca needs both)");
  }
  auto cert = ReadPemFile("tls_cert", files.cert);
  if (!cert.ok()) return cert.status();
  auto key = ReadPemFile("tls_key", files.key);
  if (!key.ok()) return key.status();
  if (absl::Status s = CheckKeyMatchesCertificate(files, *cert, *key); !s.ok()) return s;

  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!files.client_ca.empty()) {
    auto ca = ReadPemFile("tls_client_ca", files.client_ca);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace escalation::app
