#include "server/observability/sha256.h"

#include <openssl/evp.h>

#include <memory>

#include "absl/strings/escaping.h"

namespace escalation::observability {
namespace {

struct DigestDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using Digest = std::unique_ptr<EVP_MD_CTX, DigestDeleter>;

Digest NewDigest() {
  Digest digest(EVP_MD_CTX_new());
  EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr);
  return digest;
}

std::string FinishHex(EVP_MD_CTX* digest) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(digest, out, &size);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(out), size));
}

}  // namespace

std::string Sha256Hex(absl::string_view data) {
  Digest digest = NewDigest();
  EVP_DigestUpdate(digest.get(), data.data(), data.size());
  return FinishHex(digest.get());
}

}  // namespace escalation::observability
