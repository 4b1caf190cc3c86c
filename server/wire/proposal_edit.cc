#include "server/wire/proposal_edit.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/field_mask.pb.h"
#include "server/wire/wire_reader.h"

namespace escalation::host {
namespace {

using google::protobuf::FieldDescriptor;
using wire::Field;
using wire::FieldReader;
using wire::kLength;

constexpr uint32_t kProposalDecision = v1::Proposal::kDecisionFieldNumber;
constexpr uint32_t kDecisionScripts = v1::Decision::kScriptsFieldNumber;
constexpr uint32_t kDecisionRules = v1::Decision::kMatchedRulesFieldNumber;
constexpr uint32_t kScriptId = v1::Script::kIdFieldNumber;
constexpr uint32_t kScriptRuleId = v1::Script::kRuleIdFieldNumber;
constexpr uint32_t kRuleId = v1::MatchedRule::kRuleIdFieldNumber;
constexpr uint32_t kEditOutputEditsBy = v1::ProposalEdit::kOutputEditsByFieldNumber;
constexpr uint32_t kEditResets = v1::ProposalEdit::kResetsFieldNumber;
constexpr uint32_t kEditDecision = v1::ProposalEdit::kDecisionFieldNumber;
constexpr uint32_t kMaskPaths = google::protobuf::FieldMask::kPathsFieldNumber;

// Decision's field numbers fit in a 64-bit set (decision.proto numbers its
// fields from 1, and a number past 63 is never dropped).
using FieldSet = uint64_t;
bool In(FieldSet set, uint32_t number) { return number < 64 && (set >> number & 1) != 0; }
FieldSet With(FieldSet set, uint32_t number) { return number < 64 ? set | FieldSet{1} << number : set; }

// For each Decision field number: the wire type a singular field that is no
// message is written with (a value given there replaces the proposal's), or
// -1 (repeated, a message, or no field).
class SingularScalars {
 public:
  static const SingularScalars& Get() {
    static const SingularScalars* s = new SingularScalars();
    return *s;
  }
  bool Replaces(const Field& f) const { return f.number < 64 && wire_type_[f.number] == int(f.type); }

 private:
  SingularScalars() {
    wire_type_.fill(-1);
    const google::protobuf::Descriptor& d = *v1::Decision::descriptor();
    for (int i = 0; i < d.field_count(); ++i) {
      const FieldDescriptor& f = *d.field(i);
      if (f.is_repeated() || f.type() == FieldDescriptor::TYPE_MESSAGE || f.number() >= 64) {
        continue;
      }
      wire_type_[f.number()] = wire::WireFormatLite::WireTypeForFieldType(
          static_cast<wire::WireFormatLite::FieldType>(f.type()));
    }
  }
  std::array<int, 64> wire_type_;
};

// The number of Decision's field `name`, as its descriptor's FindFieldByName
// finds it (0: none), without a std::string made of the name.
uint32_t DecisionFieldNumber(absl::string_view name) {
  static const auto* fields = [] {
    auto* by_name = new std::vector<std::pair<std::string, uint32_t>>();
    const google::protobuf::Descriptor& d = *v1::Decision::descriptor();
    for (int i = 0; i < d.field_count(); ++i) {
      by_name->emplace_back(d.field(i)->name(), static_cast<uint32_t>(d.field(i)->number()));
    }
    return by_name;
  }();
  for (const auto& [field, number] : *fields) {
    if (field == name) return number;
  }
  return 0;
}

// An edit read from its wire bytes.
struct Edit {
  absl::InlinedVector<const v1::OutputEdit*, 4> removals;
  FieldSet dropped = 0;  // Reset, or replaced by the edit's decision.
  absl::InlinedVector<absl::string_view, 2> decision;  // Its pieces' contents.
  size_t decision_size = 0;
};

absl::Status NotFollowed() {
  return absl::InvalidArgumentError(
      "its edit, or the proposal it edits, is not wire format this server follows");
}

absl::Status ReadEdit(absl::string_view bytes, const v1::PluginManifest& manifest, Edit* edit) {
  FieldReader fields(bytes);
  for (Field f; fields.Next(&f);) {
    if (f.type != kLength) continue;  // Protobuf keeps it as an unknown field.
    if (f.number == kEditOutputEditsBy) {
      bool declared = false;
      for (const v1::OutputEdit& e : manifest.output_edits()) {
        if (e.rule_id() != f.bytes) continue;
        declared = true;
        edit->removals.push_back(&e);
      }
      if (!declared) {
        return absl::InvalidArgumentError(
            absl::StrCat("its edit makes the output edits of rule \"", f.bytes,
                         "\", for which its manifest declares none (output_edits)"));
      }
    } else if (f.number == kEditResets) {
      FieldReader paths(f.bytes);
      for (Field p; paths.Next(&p);) {
        if (p.number != kMaskPaths || p.type != kLength) continue;
        const uint32_t number = DecisionFieldNumber(p.bytes);
        if (number == 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              "its edit resets \"", p.bytes, "\", which is no field of escalation.v1.Decision"));
        }
        edit->dropped = With(edit->dropped, number);
      }
      if (paths.broken()) return NotFollowed();
    } else if (f.number == kEditDecision) {
      edit->decision.push_back(f.bytes);
      edit->decision_size += f.bytes.size();
      FieldReader set(f.bytes);
      for (Field d; set.Next(&d);) {
        if (SingularScalars::Get().Replaces(d)) edit->dropped = With(edit->dropped, d.number);
      }
      if (set.broken()) return NotFollowed();
    }
  }
  return fields.broken() ? NotFollowed() : absl::OkStatus();
}

// Whether the proposal's decision field `f` is taken out by the edit.
bool Dropped(const Edit& edit, const Field& f) {
  if (In(edit.dropped, f.number)) return true;
  if (f.type != kLength || edit.removals.empty()) return false;
  if (f.number == kDecisionRules) {
    const absl::string_view id = wire::Last(f.bytes, kRuleId);
    for (const v1::OutputEdit* e : edit.removals) {
      if (e->removes_rule_id() == id) return true;
    }
  } else if (f.number == kDecisionScripts) {
    const absl::string_view id = wire::Last(f.bytes, kScriptId);
    const absl::string_view rule = wire::Last(f.bytes, kScriptRuleId);
    for (const v1::OutputEdit* e : edit.removals) {
      if (!e->removes_script_id().empty() && e->removes_script_id() == id &&
          e->removes_rule_id() == rule) {
        return true;
      }
    }
  }
  return false;
}

// What an edited proposal is made of: the runs of the proposal's decision
// fields (all its pieces, merged) the edit keeps, and its other fields, each
// as they lie in the proposal's bytes (adjacent fields joined into one run).
struct Kept {
  absl::InlinedVector<absl::string_view, 8> decision, others;
  size_t decision_size = 0, others_size = 0;

  static void Add(absl::string_view raw, absl::InlinedVector<absl::string_view, 8>* runs,
                  size_t* size) {
    *size += raw.size();
    if (!runs->empty() && runs->back().data() + runs->back().size() == raw.data()) {
      runs->back() = absl::string_view(runs->back().data(), runs->back().size() + raw.size());
    } else {
      runs->push_back(raw);
    }
  }
};

// False when the bytes are broken.
bool KeptOf(absl::string_view proposal, const Edit& edit, Kept* kept) {
  FieldReader fields(proposal);
  for (Field f; fields.Next(&f);) {
    if (f.number != kProposalDecision || f.type != kLength) {
      Kept::Add(f.raw, &kept->others, &kept->others_size);
      continue;
    }
    FieldReader decision(f.bytes);
    for (Field d; decision.Next(&d);) {
      if (!Dropped(edit, d)) Kept::Add(d.raw, &kept->decision, &kept->decision_size);
    }
    if (decision.broken()) return false;
  }
  return !fields.broken();
}

}  // namespace

absl::StatusOr<absl::string_view> ApplyProposalEdit(absl::string_view proposal,
                                                    absl::string_view edit_bytes,
                                                    const v1::PluginManifest& manifest,
                                                    google::protobuf::Arena* arena) {
  Edit edit;
  if (absl::Status s = ReadEdit(edit_bytes, manifest, &edit); !s.ok()) return s;
  Kept kept;
  if (!KeptOf(proposal, edit, &kept)) return NotFollowed();
  const size_t decision_size = kept.decision_size + edit.decision_size;
  const size_t size = wire::LengthFieldSize(kProposalDecision, decision_size) + kept.others_size;
  char* const bytes = google::protobuf::Arena::CreateArray<char>(arena, size);
  char* at = wire::WriteLengthHeader(kProposalDecision, decision_size, bytes);
  const auto append = [&at](absl::string_view run) {
    std::memcpy(at, run.data(), run.size());
    at += run.size();
  };
  for (absl::string_view run : kept.decision) append(run);
  for (absl::string_view piece : edit.decision) append(piece);
  for (absl::string_view run : kept.others) append(run);
  return absl::string_view(bytes, size);
}

absl::string_view WriteProposalHead(v1::Priority priority, v1::Action action,
                                    v1::Decision::Destination destination,
                                    google::protobuf::Arena* arena) {
  auto* head = google::protobuf::Arena::CreateMessage<v1::Proposal>(arena);
  head->set_priority(priority);
  head->mutable_decision()->set_action(action);
  head->mutable_decision()->set_destination(destination);
  const size_t size = head->ByteSizeLong();
  auto* bytes =
      reinterpret_cast<uint8_t*>(google::protobuf::Arena::CreateArray<char>(arena, size));
  head->SerializeWithCachedSizesToArray(bytes);
  return absl::string_view(reinterpret_cast<const char*>(bytes), size);
}

}  // namespace escalation::host
