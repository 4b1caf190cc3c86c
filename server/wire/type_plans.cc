#include "server/wire/type_plans.h"

#include <algorithm>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "escalation/v1/plugin.pb.h"
#include "server/wire/decision_wire.h"
#include "server/wire/fixed_texts.h"
#include "server/wire/utf8.h"
#include "server/wire/wire_reader.h"

namespace escalation::host {
namespace wire {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

constexpr int kMaxDepth = 100;  // protobuf's default recursion limit

class Plans {
 public:
  static const Plans& Get() {
    static const Plans* plans = new Plans();
    return *plans;
  }
  // Null for a type no plugin answer holds.
  const TypePlan* Of(const Descriptor& type) const {
    auto it = by_type_.find(&type);
    return it == by_type_.end() ? nullptr : it->second.get();
  }
  const TypePlan& decision() const { return *decision_; }

 private:
  Plans() {
    Add(*v1::PluginRouteResponse::descriptor());
    Add(*v1::PluginAdmitResponse::descriptor());
    TypePlan& proposal = *by_type_.at(v1::Proposal::descriptor());
    TypePlan& edit = *by_type_.at(v1::ProposalEdit::descriptor());
    TypePlan& decision = *by_type_.at(v1::Decision::descriptor());
    proposal.leads_to_citations = edit.leads_to_citations = true;
    decision.leads_to_citations = decision.may_cite = true;
    decision_ = &decision;
  }

  const TypePlan* Add(const Descriptor& type) {
    if (auto it = by_type_.find(&type); it != by_type_.end()) return it->second.get();
    TypePlan* plan = by_type_.emplace(&type, std::make_unique<TypePlan>()).first->second.get();
    int largest = 0;
    for (int i = 0; i < type.field_count(); ++i) {
      largest = std::max(largest, type.field(i)->number());
    }
    plan->by_number.resize(std::min(largest, 4096) + 1);
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor& field = *type.field(i);
      if (field.number() > 4096) continue;  // Not in this project's messages.
      FieldPlan& f = plan->by_number[field.number()];
      f.field = &field;
      f.written = Written(field);
      f.repeated = field.is_repeated();
      f.kept_if_default = field.is_repeated() || field.has_presence();
      if (field.is_packable() || field.type() == FieldDescriptor::TYPE_GROUP) {
        f.kind = FieldPlan::kNotFollowed;
      } else if (field.type() == FieldDescriptor::TYPE_STRING) {
        const bool proto3 = field.file()->syntax() == FileDescriptor::SYNTAX_PROTO3;
        f.kind = proto3 ? FieldPlan::kUtf8 : FieldPlan::kUnread;
      } else if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
        f.kind = FieldPlan::kMessage;
        f.nested = Add(*field.message_type());
      }
    }
    return plan;
  }

  // Only the types of the lists the merge compares whole are known.
  static FieldPlan::Written Written(const FieldDescriptor& field) {
    if (field.containing_oneof() != nullptr || field.is_map()) return FieldPlan::kNotCanonical;
    switch (field.type()) {
      case FieldDescriptor::TYPE_STRING:
      case FieldDescriptor::TYPE_BYTES:
      case FieldDescriptor::TYPE_MESSAGE:
        return FieldPlan::kLengthValue;
      case FieldDescriptor::TYPE_ENUM:
      case FieldDescriptor::TYPE_INT32:
        return FieldPlan::kInt32Value;
      case FieldDescriptor::TYPE_BOOL:
        return FieldPlan::kBoolValue;
      default:
        return FieldPlan::kNotCanonical;
    }
  }

  absl::flat_hash_map<const Descriptor*, std::unique_ptr<TypePlan>> by_type_;
  const TypePlan* decision_ = nullptr;
};

// `citations`: when not null, a Decision's length-delimited field may be a
// citation of a fixed text (checked at load), found into it.
bool Check(const TypePlan& plan, absl::string_view bytes, int depth, Citations* citations) {
  if (depth > kMaxDepth) return false;
  const bool may_cite = citations != nullptr && plan.may_cite;
  FieldReader fields(bytes);
  for (Field f; fields.Next(&f);) {
    // An unknown field, or a known one of another wire type, is kept unread
    // (a number field given packed is not followed).
    if (f.type != kLength) continue;
    if (may_cite) {
      const Citations::Cited cited = citations->Cite(f);
      if (cited == Citations::kUndeclared) return false;
      if (cited == Citations::kCited) continue;
    }
    if (f.number >= plan.by_number.size()) continue;
    const FieldPlan& field = plan.by_number[f.number];
    switch (field.kind) {
      case FieldPlan::kUnread:
        break;
      case FieldPlan::kUtf8:
        if (!IsProtobufUtf8(f.bytes)) return false;
        break;
      case FieldPlan::kMessage: {
        if (citations == nullptr || !field.nested->leads_to_citations) {
          if (!Check(*field.nested, f.bytes, depth + 1, citations)) return false;
          break;
        }
        const size_t entered = citations->Enter(f);
        if (!Check(*field.nested, f.bytes, depth + 1, citations)) return false;
        citations->Leave(entered);
        break;
      }
      case FieldPlan::kNotFollowed:
        return false;
    }
  }
  return !fields.broken();
}

}  // namespace

const TypePlan* PlanOf(const Descriptor& type) { return Plans::Get().Of(type); }
const TypePlan& DecisionPlan() { return Plans::Get().decision(); }

}  // namespace wire

bool ParsesAs(const google::protobuf::Descriptor& type, absl::string_view bytes,
              Citations* citations) {
  const wire::TypePlan* plan = wire::PlanOf(type);
  return plan != nullptr && wire::Check(*plan, bytes, 0, citations);
}

}  // namespace escalation::host
