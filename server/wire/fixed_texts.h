// The texts a plugin declared once, at load, that its answers cite instead
// of writing them (plugin ABI 1.1; docs/architecture.md, The plugin
// boundary): checked once here, then copied into each answer that cites
// them, where the citation stood.
#ifndef ESCALATION_SERVER_WIRE_FIXED_TEXTS_H_
#define ESCALATION_SERVER_WIRE_FIXED_TEXTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/plugin/plugin.h"

namespace escalation::host {

// A citation is a length-delimited field of a Decision whose bytes are
// this prefix and the fragment's index in decimal ASCII (at most 9 digits):
// as a text (a note, the summary), exactly those bytes; as an item (a
// script, ...), whole fields whose last holds exactly them (the others, an
// item's ids the plugin may read while it builds its answer, are replaced
// with the rest of the fragment). The prefix is U+FDD0 in UTF-8, a
// noncharacter no agent-facing text holds.
inline constexpr absl::string_view kCitationPrefix = "\xEF\xB7\x90";

// Whether `bytes` (a length-delimited field's) are a citation; its index in
// `*index`.
bool ReadCitation(absl::string_view bytes, uint32_t* index);

class FixedTexts {
 public:
  // Checks `declared`, the PluginFixedTexts wire bytes the plugin `name`
  // (file `path`) declared: each fragment whole, well-formed Decision fields
  // whose texts are UTF-8 and that cite nothing themselves. The error names
  // the plugin, the file and the fragment.
  static absl::StatusOr<std::shared_ptr<const FixedTexts>> Make(absl::string_view path,
                                                                absl::string_view name,
                                                                std::string declared);

  // The bytes as declared: a restarted worker's must equal its first's.
  const std::string& declared() const { return declared_; }
  size_t size() const { return fragments_.size(); }
  absl::string_view fragment(size_t index) const { return fragments_[index]; }

 private:
  FixedTexts() = default;
  std::string declared_;
  std::vector<absl::string_view> fragments_;  // Into declared_.
};

// Writes `answer`, `plugin`'s answer to `method` (route or admit), into `out`
// with each citation in a proposal's decision replaced by its fragment:
// copies, nothing parsed or checked again. Sets `*cites` to whether there
// was any; `out` is left alone when there was none, and when the bytes are
// not wire format the reader follows (the caller's parse then words the
// error). INTERNAL, naming the plugin and the index, for a citation of a
// fragment it did not declare.
absl::Status ExpandCitations(const Plugin& plugin, absl::string_view answer, std::string* out,
                             bool* cites);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_WIRE_FIXED_TEXTS_H_
