#include "server/merge/merge_rules.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace escalation::host {
namespace {

using google::protobuf::FieldDescriptor;

// The table's fields, found in the descriptor: a list the table names must
// be a repeated field, and its same_by fields singular strings of its items.
struct ListFields {
  ListFields() {
    const google::protobuf::Descriptor& decision = *v1::Decision::descriptor();
    for (int l = 0; l < kMergedListCount; ++l) {
      const FieldDescriptor* field = decision.FindFieldByNumber(kMergedLists[l].number);
      if (field == nullptr || !field->is_repeated()) std::abort();
      for (int number : kMergedLists[l].same_by) {
        if (number == 0) continue;
        const FieldDescriptor* by = field->message_type() == nullptr
                                        ? nullptr
                                        : field->message_type()->FindFieldByNumber(number);
        if (by == nullptr || by->is_repeated() || by->type() != FieldDescriptor::TYPE_STRING) {
          std::abort();
        }
      }
      fields[l] = field;
    }
  }
  const FieldDescriptor* fields[kMergedListCount];
};

}  // namespace

const FieldDescriptor& MergedListField(int list) {
  static const ListFields* const lists = new ListFields();
  return *lists->fields[list];
}

int MergedListIndex(int number) {
  for (int l = 0; l < kMergedListCount; ++l) {
    if (kMergedLists[l].number == number) return l;
  }
  return -1;
}

bool FitsUnder(DecisionHead winner, DecisionHead other) {
  if (other.action == winner.action && other.destination == winner.destination) return true;
  if (winner.action == v1::FOLLOW_PROTOCOL) {
    // Each protocol governs its own matter (a risk to a person, an attorney
    // calling); this department's process applies to none of them.
    return other.action == v1::FOLLOW_PROTOCOL;
  }
  return other.action == v1::RESOLVE_HERE;
}

std::string OutrankedNote(DecisionHead head, absl::Span<const absl::string_view> rule_ids) {
  // "TRANSFER to LEADERSHIP_DESK" / "RESOLVE_HERE".
  std::string what = v1::Action_Name(head.action);
  if (head.destination != v1::Decision::DESTINATION_UNSPECIFIED) {
    absl::StrAppend(&what, " to ", v1::Decision::Destination_Name(head.destination));
  }
  // Appended as ranges: an item without a rule id is a string_view with no
  // data, which StrJoin's own copy would hand to memcpy as a null pointer.
  const std::string ids =
      absl::StrJoin(rule_ids, ", ", [](std::string* out, absl::string_view id) {
        out->append(id.begin(), id.end());
      });
  return absl::StrCat("Also matched, at lower priority, and not part of this decision: ",
                      what, " (", ids, ").");
}

}  // namespace escalation::host
