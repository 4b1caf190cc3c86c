#include "server/wire/fixed_texts.h"

#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "escalation/v1/plugin.pb.h"
#include "server/wire/decision_wire.h"
#include "server/wire/wire_reader.h"

namespace escalation::host {
namespace {

using wire::Field;
using wire::FieldReader;
using wire::kLength;

// A PluginRouteResponse's proposals and a PluginAdmitResponse's amended
// proposal are both its field 1; a Proposal's decision is its field 1.
constexpr uint32_t kAnswerProposal = v1::PluginRouteResponse::kProposalsFieldNumber;
constexpr uint32_t kProposalDecision = v1::Proposal::kDecisionFieldNumber;
static_assert(kAnswerProposal == v1::PluginAdmitResponse::kAmendedFieldNumber);
constexpr uint32_t kFragments = v1::PluginFixedTexts::kDecisionFragmentsFieldNumber;

// The levels of an answer a citation may stand in: the answer, a proposal,
// a proposal's decision (where citations are).
enum Level { kAnswer = 0, kProposal = 1, kDecision = 2 };

// Expands an answer in two walks: the first sizes every message that holds
// a citation (and finds the citations), the second writes it. The sizes are
// kept in the order the second walk needs them.
class Expander {
 public:
  explicit Expander(const FixedTexts& texts) : texts_(texts) {}

  // The expanded size of `bytes` at `level`.
  size_t Size(absl::string_view bytes, Level level) {
    size_t total = 0;
    FieldReader fields(bytes);
    for (Field f; fields.Next(&f);) {
      if (f.type == kLength && level == kDecision) {
        uint32_t index = 0;
        if (ReadCitation(f.bytes, &index)) {
          cites_ = true;
          if (index >= texts_.size()) {
            undeclared_ = true;
            bad_index_ = index;
            return 0;
          }
          total += texts_.fragment(index).size();
          citations_.push_back({f.bytes.data(), index});
          continue;
        }
      } else if (f.type == kLength && level != kDecision && f.number == kNested) {
        const size_t slot = sizes_.size();
        sizes_.push_back(0);
        const size_t inner = Size(f.bytes, static_cast<Level>(level + 1));
        sizes_[slot] = inner;
        total += wire::LengthFieldSize(kNested, inner);
        continue;
      }
      total += f.raw.size();
    }
    if (fields.broken()) broken_ = true;
    return total;
  }

  void Write(absl::string_view bytes, Level level, std::string* out) {
    FieldReader fields(bytes);
    for (Field f; fields.Next(&f);) {
      if (f.type == kLength && level == kDecision) {
        // The citations Size found, in the same order.
        if (next_citation_ < citations_.size() &&
            citations_[next_citation_].bytes == f.bytes.data()) {
          const absl::string_view fragment = texts_.fragment(citations_[next_citation_++].index);
          out->append(fragment.data(), fragment.size());
          continue;
        }
      } else if (f.type == kLength && level != kDecision && f.number == kNested) {
        wire::AppendTag(kNested, wire::kLength, out);
        wire::AppendVarint(sizes_[next_size_++], out);
        Write(f.bytes, static_cast<Level>(level + 1), out);
        continue;
      }
      out->append(f.raw.data(), f.raw.size());
    }
  }

  bool cites() const { return cites_; }
  bool broken() const { return broken_; }
  bool undeclared() const { return undeclared_; }
  uint32_t bad_index() const { return bad_index_; }

 private:
  // The field holding the next level down, at both levels above a decision.
  static constexpr uint32_t kNested = kAnswerProposal;
  static_assert(kNested == kProposalDecision);

  const FixedTexts& texts_;
  absl::InlinedVector<size_t, 8> sizes_;
  size_t next_size_ = 0;
  struct Citation {
    const char* bytes;  // The cited field's.
    uint32_t index;
  };
  absl::InlinedVector<Citation, 16> citations_;
  size_t next_citation_ = 0;
  bool cites_ = false, broken_ = false, undeclared_ = false;
  uint32_t bad_index_ = 0;
};

absl::Status FragmentError(absl::string_view path, absl::string_view name, size_t index,
                           absl::string_view reason) {
  return absl::FailedPreconditionError(absl::StrCat("plugin ", path, " (", name,
                                                    "): declared fixed text ", index, " ",
                                                    reason));
}

}  // namespace

bool ReadCitation(absl::string_view bytes, uint32_t* index) {
  // The digits and the prefix are read from the end first: a text or an item
  // that is no citation is turned down there, in a few comparisons.
  size_t digits = 0;
  while (digits < bytes.size() && digits < 9 &&
         absl::ascii_isdigit(static_cast<unsigned char>(bytes[bytes.size() - 1 - digits]))) {
    ++digits;
  }
  if (digits == 0 || bytes.size() < digits + kCitationPrefix.size()) return false;
  const absl::string_view citation = bytes.substr(bytes.size() - digits - kCitationPrefix.size());
  if (citation.substr(0, kCitationPrefix.size()) != kCitationPrefix) return false;
  if (citation.size() != bytes.size()) {
    // An item: whole fields, the last holding exactly the citation.
    FieldReader fields(bytes);
    Field f, last;
    while (fields.Next(&f)) last = f;
    if (fields.broken() || last.type != kLength || last.bytes.data() != citation.data()) {
      return false;
    }
  }
  uint32_t value = 0;
  for (char c : citation.substr(kCitationPrefix.size())) {
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  *index = value;
  return true;
}

absl::StatusOr<std::shared_ptr<const FixedTexts>> FixedTexts::Make(absl::string_view path,
                                                                   absl::string_view name,
                                                                   std::string declared) {
  std::shared_ptr<FixedTexts> texts(new FixedTexts());
  texts->declared_ = std::move(declared);
  FieldReader fields(texts->declared_);
  for (Field f; fields.Next(&f);) {
    if (f.number != kFragments || f.type != kLength) continue;
    const size_t index = texts->fragments_.size();
    if (f.bytes.empty()) return FragmentError(path, name, index, "is empty");
    FieldReader pieces(f.bytes);
    for (Field piece; pieces.Next(&piece);) {
      uint32_t cited = 0;
      if (piece.type == kLength && ReadCitation(piece.bytes, &cited)) {
        return FragmentError(path, name, index, absl::StrCat("cites fixed text ", cited));
      }
    }
    if (pieces.broken()) {
      return FragmentError(path, name, index, "is not whole, well-formed protobuf fields");
    }
    if (!ParsesAs(*v1::Decision::descriptor(), f.bytes)) {
      return FragmentError(path, name, index,
                           "does not parse as escalation.v1.Decision fields (a text that is "
                           "not UTF-8, or a field of the wrong type)");
    }
    texts->fragments_.push_back(f.bytes);
  }
  if (fields.broken()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin ", path, " (", name, "): its fixed texts do not parse as escalation.v1.PluginFixedTexts"));
  }
  return std::shared_ptr<const FixedTexts>(std::move(texts));
}

absl::Status ExpandCitations(const Plugin& plugin, absl::string_view answer, std::string* out,
                             bool* cites) {
  *cites = false;
  const FixedTexts* texts = plugin.fixed_texts();
  if (texts == nullptr) return absl::OkStatus();
  Expander expander(*texts);
  const size_t size = expander.Size(answer, kAnswer);
  if (expander.undeclared()) {
    return absl::InternalError(absl::StrCat("plugin ", plugin.name(), " cited fixed text ",
                                            expander.bad_index(), ", which it never declared (",
                                            texts->size(), " declared, from 0)"));
  }
  if (!expander.cites() || expander.broken()) return absl::OkStatus();
  out->clear();
  out->reserve(size);
  expander.Write(answer, kAnswer, out);
  *cites = true;
  return absl::OkStatus();
}

}  // namespace escalation::host
