#include "server/wire/fixed_texts.h"

#include <cstring>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/io/coded_stream.h"
#include "server/wire/decision_wire.h"
#include "server/wire/wire_reader.h"

namespace escalation::host {
namespace {

using wire::Field;
using wire::FieldReader;
using wire::kLength;

// Where a decision sits in an answer: a PluginRouteResponse's proposals and
// a PluginAdmitResponse's amended proposal are both its field 1, a
// Proposal's decision is its field 1; an admit answer's edit (ABI 1.2) is its
// field 2, and an edit's decision its field 3.
constexpr uint32_t kAnswerProposal = v1::PluginRouteResponse::kProposalsFieldNumber;
constexpr uint32_t kProposalDecision = v1::Proposal::kDecisionFieldNumber;
static_assert(kAnswerProposal == v1::PluginAdmitResponse::kAmendedFieldNumber);
constexpr uint32_t kAnswerEdit = v1::PluginAdmitResponse::kEditFieldNumber;
constexpr uint32_t kEditDecision = v1::ProposalEdit::kDecisionFieldNumber;
constexpr uint32_t kFragments = v1::PluginFixedTexts::kDecisionFragmentsFieldNumber;

// The levels of an answer a citation may stand in: the answer, a proposal or
// an edit, a decision (where citations are); kNone, no level.
enum Level { kRouteAnswer, kAdmitAnswer, kProposal, kEdit, kDecision, kNone };

// The level field `number` of a message at `level` leads to, or kNone.
Level Below(Level level, uint32_t number) {
  switch (level) {
    case kRouteAnswer:
      return number == kAnswerProposal ? kProposal : kNone;
    case kAdmitAnswer:
      return number == kAnswerProposal ? kProposal : number == kAnswerEdit ? kEdit : kNone;
    case kProposal:
      return number == kProposalDecision ? kDecision : kNone;
    case kEdit:
      return number == kEditDecision ? kDecision : kNone;
    case kDecision:
    case kNone:
      break;
  }
  return kNone;
}

Level AnswerLevel(const google::protobuf::Descriptor& type) {
  return &type == v1::PluginAdmitResponse::descriptor() ? kAdmitAnswer : kRouteAnswer;
}

// Finds the citations in `bytes` at `level`, following only the fields that
// lead to a decision, whatever the rest of the bytes are. A decision's walk
// ends at a citation of an undeclared fragment; `*broken` is set when some
// bytes are not wire format.
void Find(absl::string_view bytes, Level level, Citations* found, bool* broken) {
  FieldReader fields(bytes);
  for (Field f; fields.Next(&f);) {
    if (f.type != kLength) continue;
    if (level == kDecision) {
      if (found->Cite(f) == Citations::kUndeclared) return;
    } else if (const Level below = Below(level, f.number); below != kNone) {
      const size_t entered = found->Enter(f);
      Find(f.bytes, below, found, broken);
      found->Leave(entered);
    }
  }
  if (fields.broken()) *broken = true;
}

// Room for an expanded answer of `size` bytes.
using Room = absl::FunctionRef<char*(size_t size)>;

// What ExpandCitations makes of the citations `found` in `answer`: the
// expanded bytes in `room`, and `*out` them.
absl::Status Expand(const Plugin& plugin, absl::string_view answer, const Citations& found,
                    bool broken, Room room, absl::string_view* out, bool* cites) {
  if (found.undeclared()) {
    return absl::InternalError(absl::StrCat("plugin ", plugin.name(), " cited fixed text ",
                                            found.bad_index(), ", which it never declared (",
                                            plugin.fixed_texts()->size(), " declared, from 0)"));
  }
  if (!found.any() || broken) return absl::OkStatus();
  const size_t size = found.ExpandedSize(answer);
  char* bytes = room(size);
  found.Write(answer, bytes);
  *out = absl::string_view(bytes, size);
  *cites = true;
  return absl::OkStatus();
}

absl::Status FragmentError(absl::string_view path, absl::string_view name, size_t index,
                           absl::string_view reason) {
  return absl::FailedPreconditionError(absl::StrCat("plugin ", path, " (", name,
                                                    "): declared fixed text ", index, " ",
                                                    reason));
}

}  // namespace

bool ReadCitation(absl::string_view bytes, uint32_t* index) {
  // The digits (their value summed as they are read) and the prefix are read
  // from the end first: a text or an item that is no citation is turned down
  // there, in a few comparisons.
  const char* const begin = bytes.data();
  const char* at = begin + bytes.size();
  uint32_t value = 0, place = 1;
  size_t digits = 0;
  for (; digits < 9 && at != begin && absl::ascii_isdigit(static_cast<unsigned char>(at[-1]));
       ++digits, place *= 10) {
    value += static_cast<uint32_t>(*--at - '0') * place;
  }
  constexpr size_t kPrefix = kCitationPrefix.size();
  if (digits == 0 || static_cast<size_t>(at - begin) < kPrefix) return false;
  at -= kPrefix;
  if (std::memcmp(at, kCitationPrefix.data(), kPrefix) != 0) return false;
  if (at != begin) {
    // An item: whole fields, the last holding exactly the citation.
    FieldReader fields(bytes);
    Field f, last;
    while (fields.Next(&f)) last = f;
    if (fields.broken() || last.type != kLength || last.bytes.data() != at) return false;
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

size_t Citations::Enter(const Field& field) {
  edits_.push_back({field.raw.data(), field.bytes.data(), /*header=*/true, field.number,
                    field.bytes.size(), growth_});
  return edits_.size() - 1;
}

void Citations::Leave(size_t entered) {
  Edit& message = edits_[entered];
  message.size =
      static_cast<size_t>(static_cast<ptrdiff_t>(message.size) + growth_ - message.growth);
  const size_t header = wire::LengthFieldSize(message.value, message.size) - message.size;
  growth_ += static_cast<ptrdiff_t>(header) - (message.to - message.from);
}

Citations::Cited Citations::Cite(const Field& field) {
  uint32_t index = 0;
  if (!ReadCitation(field.bytes, &index)) return kNot;
  any_ = true;
  if (index >= texts_.size()) {
    undeclared_ = true;
    bad_index_ = index;
    return kUndeclared;
  }
  const absl::string_view fragment = texts_.fragment(index);
  edits_.push_back({field.raw.data(), field.raw.data() + field.raw.size(), /*header=*/false,
                    index, 0, 0});
  growth_ += static_cast<ptrdiff_t>(fragment.size()) - static_cast<ptrdiff_t>(field.raw.size());
  return kCited;
}

void Citations::Write(absl::string_view answer, char* out) const {
  auto copy = [&out](const char* from, size_t size) {
    if (size != 0) std::memcpy(out, from, size);
    out += size;
  };
  const char* at = answer.data();
  for (const Edit& edit : edits_) {
    copy(at, static_cast<size_t>(edit.from - at));
    if (edit.header) {
      out = wire::WriteLengthHeader(edit.value, edit.size, out);
    } else {
      const absl::string_view fragment = texts_.fragment(edit.value);
      copy(fragment.data(), fragment.size());
    }
    at = edit.to;
  }
  copy(at, static_cast<size_t>(answer.data() + answer.size() - at));
}

absl::Status ExpandCitations(const Plugin& plugin, const google::protobuf::Descriptor& type,
                             absl::string_view answer, std::string* out, bool* cites) {
  *cites = false;
  const FixedTexts* texts = plugin.fixed_texts();
  if (texts == nullptr) return absl::OkStatus();
  Citations found(*texts);
  bool broken = false;
  Find(answer, AnswerLevel(type), &found, &broken);
  std::string expanded;
  absl::string_view written;
  if (absl::Status s = Expand(
          plugin, answer, found, broken,
          [&expanded](size_t size) {
            expanded.resize(size);
            return expanded.data();
          },
          &written, cites);
      !s.ok() || !*cites) {
    return s;
  }
  *out = std::move(expanded);
  return absl::OkStatus();
}

absl::Status ExpandCheckedCitations(const Plugin& plugin, const google::protobuf::Descriptor& type,
                                    absl::string_view answer, google::protobuf::Arena* arena,
                                    absl::string_view* out, bool* cites, bool* passes) {
  *out = answer;
  *cites = *passes = false;
  const FixedTexts* texts = plugin.fixed_texts();
  if (texts == nullptr) return absl::OkStatus();
  auto on_arena = [arena](size_t size) {
    return google::protobuf::Arena::CreateArray<char>(arena, size);
  };
  Citations checked(*texts);
  if (ParsesAs(type, answer, &checked)) {
    *passes = true;
    return Expand(plugin, answer, checked, /*broken=*/false, on_arena, out, cites);
  }
  Citations found(*texts);
  bool broken = false;
  Find(answer, AnswerLevel(type), &found, &broken);
  return Expand(plugin, answer, found, broken, on_arena, out, cites);
}

}  // namespace escalation::host
