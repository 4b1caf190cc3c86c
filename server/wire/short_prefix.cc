#include "server/wire/short_prefix.h"

#include "absl/strings/str_cat.h"

namespace escalation::host {

std::string ShortPrefix(absl::string_view value, size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  size_t cut = max_bytes;
  // Step back over UTF-8 continuation bytes so the prefix stays valid text.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(value.substr(0, cut), "... (", value.size(), " bytes)");
}

}  // namespace escalation::host
