#include "server/loading/sha256.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace escalation::host {

struct Sha256::Context {
  Context() : digest(EVP_MD_CTX_new()) { EVP_DigestInit_ex(digest, EVP_sha256(), nullptr); }
  ~Context() { EVP_MD_CTX_free(digest); }
  EVP_MD_CTX* digest;
};

Sha256::Sha256() : context_(std::make_unique<Context>()) {}
Sha256::~Sha256() = default;

void Sha256::Update(absl::string_view data) {
  EVP_DigestUpdate(context_->digest, data.data(), data.size());
}

std::string Sha256::HexDigest() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_->digest, out, &size);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), size));
}

std::string Sha256Hex(absl::string_view data) {
  Sha256 digest;
  digest.Update(data);
  return digest.HexDigest();
}

absl::StatusOr<std::string> Sha256OfFd(int fd) {
  Sha256 digest;
  char buffer[1 << 16];
  for (off_t offset = 0;;) {
    const ssize_t n = pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(absl::StrCat("cannot be read: ", std::strerror(errno)));
    if (n == 0) break;
    digest.Update(absl::string_view(buffer, static_cast<size_t>(n)));
    offset += n;
  }
  return digest.HexDigest();
}

}  // namespace escalation::host
