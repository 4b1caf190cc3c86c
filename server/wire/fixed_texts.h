// The texts a plugin declared once, at load, that its answers cite instead
// of writing them (plugin ABI 1.1; docs/architecture.md, The plugin
// boundary): checked once here, then copied into each answer that cites
// them, where the citation stood.
#ifndef ESCALATION_SERVER_WIRE_FIXED_TEXTS_H_
#define ESCALATION_SERVER_WIRE_FIXED_TEXTS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "server/plugin/plugin.h"
#include "server/wire/wire_reader.h"

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

// The citations of one answer, as a walk of it finds them, and the answer
// written with each replaced by its fragment. The walk names each message on
// the way to a decision (a proposal, its decision: Enter, then Leave once
// its fields are walked) and, in a decision, each length-delimited field
// (Cite). Writing copies the bytes between them: nothing is walked again.
class Citations {
 public:
  explicit Citations(const FixedTexts& texts) : texts_(texts) {}

  // `field` (a proposal, a decision) is walked next; Leave takes the result.
  size_t Enter(const wire::Field& field);
  void Leave(size_t entered);
  // Whether `field`, of a decision, is a citation (kept to be expanded), and
  // whether it cites a fragment never declared.
  enum Cited { kNot, kCited, kUndeclared };
  Cited Cite(const wire::Field& field);

  bool any() const { return any_; }
  // The index of the last undeclared fragment cited, if any was.
  bool undeclared() const { return undeclared_; }
  uint32_t bad_index() const { return bad_index_; }
  // `answer`, the bytes walked, with its citations expanded: its size, and
  // the bytes written at `out` (room for that many).
  size_t ExpandedSize(absl::string_view answer) const {
    return static_cast<size_t>(static_cast<ptrdiff_t>(answer.size()) + growth_);
  }
  void Write(absl::string_view answer, char* out) const;

 private:
  // Bytes [from, to) of the answer written anew: a message's tag and size,
  // or a citation's field (its fragment).
  struct Edit {
    const char* from;
    const char* to;
    bool header;
    uint32_t value;    // The message's field number, or the fragment's index.
    size_t size;       // The message's size once expanded.
    ptrdiff_t growth;  // While the message is walked: growth_ at Enter.
  };
  const FixedTexts& texts_;
  absl::InlinedVector<Edit, 32> edits_;  // In the order of the bytes.
  ptrdiff_t growth_ = 0;                 // Bytes gained so far by the edits.
  bool any_ = false, undeclared_ = false;
  uint32_t bad_index_ = 0;
};

// Writes `answer`, `plugin`'s answer of `type` (PluginRouteResponse or
// PluginAdmitResponse), into `out`
// with each citation in a proposal's decision replaced by its fragment:
// copies, nothing parsed or checked again. Sets `*cites` to whether there
// was any; `out` is left alone when there was none, and when the bytes are
// not wire format the reader follows (the caller's parse then words the
// error). INTERNAL, naming the plugin and the index, for a citation of a
// fragment it did not declare.
absl::Status ExpandCitations(const Plugin& plugin, const google::protobuf::Descriptor& type,
                             absl::string_view answer, std::string* out, bool* cites);

// ExpandCitations of an answer of `type`, and whether the answer passes
// ParsesAs (decision_wire.h) with its citations taken as checked: in one
// walk when it does (the check's, which finds the citations), else the
// check refused it (`*passes` false) and ExpandCitations walks it again.
// The expanded answer is written on `arena` (a decision's, so a decision's
// answers cost no allocation of their own) and `*out` is it, or `answer`
// itself when it cites nothing.
absl::Status ExpandCheckedCitations(const Plugin& plugin, const google::protobuf::Descriptor& type,
                                    absl::string_view answer, google::protobuf::Arena* arena,
                                    absl::string_view* out, bool* cites, bool* passes);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_WIRE_FIXED_TEXTS_H_
