// The SHA-256 of a string, lowercase hex: the decision log's "hash" masking.
// (A file's digest: host::Sha256OfFile in plugin_file_trust.h.)
#ifndef ESCALATION_SERVER_OBSERVABILITY_SHA256_H_
#define ESCALATION_SERVER_OBSERVABILITY_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace escalation::observability {

std::string Sha256Hex(absl::string_view data);

}  // namespace escalation::observability

#endif  // ESCALATION_SERVER_OBSERVABILITY_SHA256_H_
