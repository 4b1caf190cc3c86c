// The merge written once (server/merge/merge_rules.h): the merge of
// parsed proposals and the one on their wire bytes give the same answer for
// decisions made by walking Decision's descriptor, every field filled, and a
// Decision of a later version with lists this host does not know.
#include "server/merge/merge.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "escalation/v1/service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/wire/decision_wire.h"
#include "server/merge/merge_rules.h"
#include "server/engine/plugin_answer.h"

namespace escalation::host {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptorProto;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::util::MessageDifferencer;

class NamedPlugin final : public Plugin {
 public:
  explicit NamedPlugin(const std::string& name) {
    info_.mutable_manifest()->set_name(name);
    info_.mutable_manifest()->set_version("1.4.0");
  }
  void Call(PluginMethod, absl::string_view, absl::Time, PluginReply reply) const override {
    std::move(reply)(absl::InternalError("not called"));
  }
};

const Plugin& CreditFor(absl::string_view rule_id) {
  static const NamedPlugin router("customer_service"), admitter("leadership_desk");
  return absl::StartsWith(rule_id, "a") ? static_cast<const Plugin&>(router) : admitter;
}

class BytesProposal final : public WireProposal {
 public:
  explicit BytesProposal(std::string bytes) : bytes_(std::move(bytes)) {}
  absl::string_view proposal_bytes() const override { return bytes_; }
  const Plugin& Credit(absl::string_view rule_id) const override { return CreditFor(rule_id); }

 private:
  std::string bytes_;
};

// decision.proto as a later version might have it: Decision with two more
// lists (a list of messages, a list of strings) that this host's merge has
// never heard of. Plugins built against it send them; this host reads them
// as unknown fields.
class LaterDecision {
 public:
  LaterDecision() {
    Add(*v1::Decision::descriptor()->file());
    decision_ = pool_.FindMessageTypeByName("escalation.v1.Decision");
    if (decision_ == nullptr) std::abort();
  }
  const Descriptor& decision() const { return *decision_; }
  std::unique_ptr<Message> New() { return std::unique_ptr<Message>(factory_.GetPrototype(decision_)->New()); }

 private:
  // Builds `file` and what it imports in the pool, decision.proto with the
  // two lists added.
  void Add(const google::protobuf::FileDescriptor& file) {
    if (pool_.FindFileByName(file.name()) != nullptr) return;
    for (int i = 0; i < file.dependency_count(); ++i) Add(*file.dependency(i));
    FileDescriptorProto proto;
    file.CopyTo(&proto);
    for (auto& message : *proto.mutable_message_type()) {
      if (message.name() != "Decision") continue;
      auto* items = message.add_field();
      items->set_name("later_items");
      items->set_number(15);
      items->set_label(google::protobuf::FieldDescriptorProto::LABEL_REPEATED);
      items->set_type(google::protobuf::FieldDescriptorProto::TYPE_MESSAGE);
      items->set_type_name(".escalation.v1.Step");
      auto* texts = message.add_field();
      texts->set_name("later_texts");
      texts->set_number(16);
      texts->set_label(google::protobuf::FieldDescriptorProto::LABEL_REPEATED);
      texts->set_type(google::protobuf::FieldDescriptorProto::TYPE_STRING);
    }
    if (pool_.BuildFile(proto) == nullptr) std::abort();
  }

  DescriptorPool pool_;
  DynamicMessageFactory factory_;
  const Descriptor* decision_;
};

// Fills messages by walking their descriptors. Values come from small sets,
// and a list's item is often one made before (in this decision or another
// proposal's), so that items repeat and proposals share them.
class Filler {
 public:
  explicit Filler(uint32_t seed) : random_(seed) {}

  void Fill(Message* message, int depth) {
    const Descriptor& type = *message->GetDescriptor();
    const Reflection& r = *message->GetReflection();
    for (int i = 0; i < type.field_count(); ++i) {
      const FieldDescriptor* field = type.field(i);
      if (field->is_repeated()) {
        const int count = depth > 2 ? 0 : static_cast<int>(random_() % 4);
        for (int n = 0; n < count; ++n) Add(message, field, depth);
      } else if (random_() % 4 != 0) {
        Set(message, r, field, depth);
      }
    }
  }

  void Clear() { made_.clear(); }
  std::mt19937& random() { return random_; }

 private:
  std::string Text() {
    static const char* const kTexts[] = {"", "a.one", "b.two", "Offer the Call Back.",
                                         "caf\xc3\xa9", "a.three"};
    return kTexts[random_() % 6];
  }
  int EnumValue(const FieldDescriptor* field) {
    const auto* e = field->enum_type();
    // Mostly the first few values, so that heads agree often enough.
    const int count = std::min(e->value_count(), 1 + static_cast<int>(random_() % 5));
    return e->value(static_cast<int>(random_() % count))->number();
  }

  void Set(Message* m, const Reflection& r, const FieldDescriptor* f, int depth) {
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: r.SetString(m, f, Text()); break;
      case FieldDescriptor::CPPTYPE_ENUM: r.SetEnumValue(m, f, EnumValue(f)); break;
      case FieldDescriptor::CPPTYPE_BOOL: r.SetBool(m, f, random_() % 2); break;
      case FieldDescriptor::CPPTYPE_INT32: r.SetInt32(m, f, static_cast<int32_t>(random_() % 3) - 1); break;
      case FieldDescriptor::CPPTYPE_INT64: r.SetInt64(m, f, static_cast<int64_t>(random_() % 3)); break;
      case FieldDescriptor::CPPTYPE_UINT32: r.SetUInt32(m, f, random_() % 3); break;
      case FieldDescriptor::CPPTYPE_UINT64: r.SetUInt64(m, f, random_() % 3); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: r.SetDouble(m, f, random_() % 3); break;
      case FieldDescriptor::CPPTYPE_FLOAT: r.SetFloat(m, f, static_cast<float>(random_() % 3)); break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 3) Fill(r.MutableMessage(m, f), depth + 1);
        break;
    }
  }

  void Add(Message* m, const FieldDescriptor* f, int depth) {
    const Reflection& r = *m->GetReflection();
    std::vector<std::string>& made = made_[f->full_name()];
    const bool again = !made.empty() && random_() % 5 < 2;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string text = again ? made[random_() % made.size()] : Text();
        made.push_back(text);
        r.AddString(m, f, text);
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: r.AddEnumValue(m, f, EnumValue(f)); break;
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* item = r.AddMessage(m, f);
        if (again) {
          item->ParseFromString(made[random_() % made.size()]);
        } else {
          Fill(item, depth + 1);
          made.push_back(item->SerializeAsString());
        }
        break;
      }
      default: break;  // Decision's lists hold none of these.
    }
  }

  std::mt19937 random_;
  std::map<std::string, std::vector<std::string>> made_;  // By field name.
};

struct Outcome {
  bool written = false;
  v1::RouteResponse wire, parsed;
};

// The same proposals (as bytes, in the order the plugins made them) merged
// both ways.
Outcome MergeBothWays(const std::vector<std::string>& proposals) {
  Outcome outcome;
  google::protobuf::Timestamp at;
  at.set_seconds(1795446000);

  std::vector<v1::Proposal> parsed(proposals.size());
  std::vector<v1::Proposal*> pointers;
  for (size_t i = 0; i < proposals.size(); ++i) {
    EXPECT_TRUE(parsed[i].ParseFromString(proposals[i]));
    CreditRules(parsed[i].mutable_decision()->mutable_matched_rules(),
                [](const std::string& id) -> const Plugin& { return CreditFor(id); });
    pointers.push_back(&parsed[i]);
  }
  // The wire merge takes them highest priority first, as the call orders them.
  std::vector<size_t> order(proposals.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return parsed[a].priority() > parsed[b].priority();
  });
  std::vector<std::unique_ptr<BytesProposal>> wire;
  std::vector<const WireProposal*> wire_pointers;
  for (size_t i : order) {
    wire.push_back(std::make_unique<BytesProposal>(proposals[i]));
    wire_pointers.push_back(wire.back().get());
  }
  RouteResponseBytes bytes;
  outcome.written = WriteRouteResponse(wire_pointers, at, &bytes);
  if (outcome.written) {
    EXPECT_TRUE(outcome.wire.ParseFromString(bytes.bytes));
  }

  MergeProposals(pointers, outcome.parsed.mutable_decision());
  *outcome.parsed.mutable_evaluation_time() = at;
  return outcome;
}

// A proposal's bytes: a Decision of the later version, every field filled
// by the filler, and a priority from a few.
std::string MakeProposal(LaterDecision& later, Filler& filler) {
  std::unique_ptr<Message> decision = later.New();
  filler.Fill(decision.get(), 0);
  v1::Proposal head;  // The proposal's own fields.
  const v1::Priority priorities[] = {v1::RESOLVE_IN_DEPARTMENT, v1::LEADERSHIP_DESK_TIER1,
                                     v1::SAFETY_PROTOCOL};
  head.set_priority(priorities[filler.random()() % 3]);
  v1::Proposal proposal;
  EXPECT_TRUE(proposal.mutable_decision()->ParseFromString(decision->SerializeAsString()));
  proposal.set_priority(head.priority());
  return proposal.SerializeAsString();
}

// The distinct items of list `l` of `decision` (its notes without those
// naming outranked proposals).
std::set<std::string> Items(const v1::Decision& decision, int l) {
  const Reflection& r = *v1::Decision::GetReflection();
  const FieldDescriptor* f = &MergedListField(l);
  std::set<std::string> items;
  for (int i = 0; i < r.FieldSize(decision, f); ++i) {
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      const std::string note = r.GetRepeatedString(decision, f, i);
      if (!absl::StartsWith(note, "Also matched")) items.insert(note);
    } else {
      items.insert(r.GetRepeatedMessage(decision, f, i).SerializeAsString());
    }
  }
  return items;
}

// Whether the highest-priority proposal (the first of those) repeats an
// item of a list the merge joins: merged alone, it loses some.
bool WinnerRepeats(const std::vector<std::string>& proposals) {
  std::vector<v1::Proposal> given(proposals.size());
  size_t top = 0;
  for (size_t i = 0; i < proposals.size(); ++i) {
    given[i].ParseFromString(proposals[i]);
    if (given[i].priority() > given[top].priority()) top = i;
  }
  CreditRules(given[top].mutable_decision()->mutable_matched_rules(),
              [](const std::string& id) -> const Plugin& { return CreditFor(id); });
  v1::Proposal alone = given[top];
  std::vector<v1::Proposal*> one = {&alone};
  v1::Decision merged;
  MergeProposals(one, &merged);
  const Reflection& r = *v1::Decision::GetReflection();
  for (int l = 0; l < kMergedListCount; ++l) {
    const FieldDescriptor* f = &MergedListField(l);
    if (r.FieldSize(merged, f) != r.FieldSize(given[top].decision(), f)) return true;
  }
  return false;
}

TEST(MergeTest, BothMergesAgreeOnDecisionsMadeFromTheDescriptor) {
  LaterDecision later;
  Filler filler(20261207);
  int written = 0, outranked = 0, joined = 0, dropped = 0, later_kept = 0;
  std::set<int> lists_joined;
  for (int round = 0; round < 5000; ++round) {
    filler.Clear();
    std::vector<std::string> proposals(1 + filler.random()() % 4);
    for (std::string& p : proposals) p = MakeProposal(later, filler);
    const Outcome o = MergeBothWays(proposals);
    if (!o.written) {
      // Only for a winner that repeats an item, which only the parsed merge
      // can drop (these decisions are in one piece, as protobuf writes them).
      ASSERT_TRUE(WinnerRepeats(proposals)) << "round " << round;
      ++dropped;
      continue;
    }
    ++written;
    MessageDifferencer differ;
    std::string report;
    differ.ReportDifferencesToString(&report);
    ASSERT_TRUE(differ.Compare(o.wire, o.parsed))
        << "round " << round << ": " << report << "\nwire:   " << o.wire.ShortDebugString()
        << "\nparsed: " << o.parsed.ShortDebugString();
    for (const std::string& note : o.parsed.decision().notes()) {
      outranked += absl::StartsWith(note, "Also matched");
    }
    later_kept += !o.parsed.decision().GetReflection()->GetUnknownFields(o.parsed.decision()).empty();
    // Which lists took an item the winner does not have.
    size_t top = 0;
    std::vector<v1::Proposal> given(proposals.size());
    for (size_t i = 0; i < proposals.size(); ++i) {
      given[i].ParseFromString(proposals[i]);
      CreditRules(given[i].mutable_decision()->mutable_matched_rules(),
                  [](const std::string& id) -> const Plugin& { return CreditFor(id); });
      if (given[i].priority() > given[top].priority()) top = i;
    }
    for (int l = 0; l < kMergedListCount; ++l) {
      if (Items(o.parsed.decision(), l) != Items(given[top].decision(), l)) {
        lists_joined.insert(l);
        ++joined;
      }
    }
  }
  std::printf("%d written on the wire (%d left to the parsed merge), %d outranked notes, "
              "%d lists joined, %d with later fields\n",
              written, dropped, outranked, joined, later_kept);
  // Every kind of case came up, in both merges.
  EXPECT_GT(written, 700);
  EXPECT_GT(dropped, 100);
  EXPECT_GT(outranked, 300);
  EXPECT_GT(joined, 300);
  EXPECT_GT(later_kept, 300);
  EXPECT_EQ(lists_joined.size(), static_cast<size_t>(kMergedListCount));
}

// The parsed merge drops the winner's repeats; both keep the winner's lists
// the table does not name, and its later fields, as they came.
TEST(MergeTest, TheParsedMergeDropsTheWinnersRepeats) {
  v1::Proposal p;
  v1::Decision* d = p.mutable_decision();
  d->set_action(v1::TRANSFER);
  for (const char* text : {"One.", "Two.", "One."}) d->add_steps()->set_text(text);
  d->add_steps()->set_text("Two.");
  d->mutable_steps(3)->set_rule_id("other");  // The same step: steps compare by text.
  d->add_notes("A note.");
  d->add_notes("A note.");
  d->add_supervisor_permissions()->set_rule_id("x");
  d->add_supervisor_permissions()->set_rule_id("x");
  std::vector<v1::Proposal*> one = {&p};
  v1::Decision merged;
  MergeProposals(one, &merged);
  ASSERT_EQ(merged.steps_size(), 2);
  EXPECT_EQ(merged.steps(0).text(), "One.");
  EXPECT_EQ(merged.steps(1).text(), "Two.");
  EXPECT_EQ(merged.notes_size(), 1);
  EXPECT_EQ(merged.supervisor_permissions_size(), 2);
}

// A list of Decision that the table does not name is the winner's alone: a
// list added to Decision must be given a rule here or be named as such.
TEST(MergeTest, EveryListOfADecisionHasARule) {
  std::set<std::string> unnamed;
  const Descriptor& decision = *v1::Decision::descriptor();
  for (int i = 0; i < decision.field_count(); ++i) {
    const FieldDescriptor* field = decision.field(i);
    if (field->is_repeated() && MergedListIndex(field->number()) < 0) {
      unnamed.insert(field->name());
    }
  }
  EXPECT_THAT(unnamed, ::testing::ElementsAre("supervisor_permissions"));
}

// Highest priority first, ties in the order given, for any number of items.
TEST(MergeTest, OrderByPriorityKeepsTiesInTheirOrder) {
  for (size_t n = 0; n <= 6; ++n) {
    std::vector<std::pair<int, size_t>> items;  // (priority, position given)
    for (size_t i = 0; i < n; ++i) items.emplace_back(static_cast<int>((i * 7) % 3), i);
    std::vector<std::pair<int, size_t>> expected = items;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    OrderByPriority(absl::MakeSpan(items), [](const auto& item) { return item.first; });
    EXPECT_EQ(items, expected) << n << " items";
  }
}

}  // namespace
}  // namespace escalation::host
