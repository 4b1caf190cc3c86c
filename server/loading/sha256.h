// SHA-256 from libcrypto, lowercase hex: a plugin file's digest (the
// allow-list, the start-up log) and the decision log's "hash" masking.
#ifndef ESCALATION_SERVER_LOADING_SHA256_H_
#define ESCALATION_SERVER_LOADING_SHA256_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace escalation::host {

// A digest fed piece by piece.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  void Update(absl::string_view data);
  // Lowercase hex of everything fed so far; call once.
  std::string HexDigest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

std::string Sha256Hex(absl::string_view data);

// The SHA-256 of everything an open file holds, read from its start without
// moving its offset. INTERNAL "cannot be read: <errno>" when a read fails.
absl::StatusOr<std::string> Sha256OfFd(int fd);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_LOADING_SHA256_H_
