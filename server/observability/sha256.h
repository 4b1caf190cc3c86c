// SHA-256 digests, as lowercase hex: of a file (the start-up log names each
// plugin's digest, so an operator can tell which build is running) and of a
// string (the decision log's "hash" masking).
#ifndef ESCALATION_SERVER_OBSERVABILITY_SHA256_H_
#define ESCALATION_SERVER_OBSERVABILITY_SHA256_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace escalation::observability {

std::string Sha256Hex(absl::string_view data);
// NOT_FOUND / INTERNAL naming `path` when it cannot be read.
absl::StatusOr<std::string> Sha256OfFile(const std::string& path);

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_SHA256_H_
