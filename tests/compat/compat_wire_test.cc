// The live protos still speak the wire format of the frozen v1.0 copy: every
// message, field and enum value of v1.0 is still there with the same number,
// type and cardinality (fields may be added, never renumbered, retyped or
// removed). A plugin built against v1.0 relies on exactly this.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "escalation/v1/service.pb.h"
#include <fstream>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"

namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

void CompareEnum(const EnumDescriptor& frozen, std::vector<std::string>* breaks) {
  const EnumDescriptor* live =
      google::protobuf::DescriptorPool::generated_pool()->FindEnumTypeByName(frozen.full_name());
  if (live == nullptr) {
    breaks->push_back(absl::StrCat("enum ", frozen.full_name(), " was removed"));
    return;
  }
  for (int i = 0; i < frozen.value_count(); ++i) {
    const auto* old_value = frozen.value(i);
    const auto* value = live->FindValueByName(old_value->name());
    if (value == nullptr || value->number() != old_value->number()) {
      breaks->push_back(absl::StrCat(old_value->full_name(), " was removed or renumbered"));
    }
  }
}

void CompareMessage(const Descriptor& frozen, std::vector<std::string>* breaks) {
  const Descriptor* live =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          frozen.full_name());
  if (live == nullptr) {
    breaks->push_back(absl::StrCat("message ", frozen.full_name(), " was removed"));
    return;
  }
  for (int i = 0; i < frozen.field_count(); ++i) {
    const FieldDescriptor* old_field = frozen.field(i);
    const FieldDescriptor* field = live->FindFieldByNumber(old_field->number());
    if (field == nullptr) {
      breaks->push_back(absl::StrCat(old_field->full_name(), " (", old_field->number(),
                                     ") was removed"));
      continue;
    }
    const bool same_type =
        field->type() == old_field->type() &&
        (field->message_type() == nullptr ||
         field->message_type()->full_name() == old_field->message_type()->full_name()) &&
        (field->enum_type() == nullptr ||
         field->enum_type()->full_name() == old_field->enum_type()->full_name());
    if (!same_type || field->is_repeated() != old_field->is_repeated()) {
      breaks->push_back(absl::StrCat(old_field->full_name(), " (", old_field->number(),
                                     ") changed type or cardinality; now ",
                                     field->full_name()));
    }
  }
  for (int i = 0; i < frozen.nested_type_count(); ++i) CompareMessage(*frozen.nested_type(i), breaks);
  for (int i = 0; i < frozen.enum_type_count(); ++i) CompareEnum(*frozen.enum_type(i), breaks);
}

TEST(CompatWireTest, LiveProtosKeepEveryV1_0FieldAndValue) {
  // Links the live generated code, so the generated pool holds the live API.
  (void)escalation::v1::RouteRequest::descriptor();
  google::protobuf::FileDescriptorSet set;
  std::ifstream in(FROZEN_DESCRIPTORS, std::ios::binary);
  ASSERT_TRUE(set.ParseFromIstream(&in)) << FROZEN_DESCRIPTORS;
  google::protobuf::DescriptorPool frozen_pool;
  std::vector<std::string> breaks;
  int messages = 0;
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    const google::protobuf::FileDescriptor* frozen = frozen_pool.BuildFile(file);
    ASSERT_NE(frozen, nullptr) << file.name();
    if (file.package() != "escalation.v1") continue;  // Well-known types.
    for (int i = 0; i < frozen->message_type_count(); ++i, ++messages) {
      CompareMessage(*frozen->message_type(i), &breaks);
    }
    for (int i = 0; i < frozen->enum_type_count(); ++i) CompareEnum(*frozen->enum_type(i), &breaks);
  }
  EXPECT_GT(messages, 20);
  for (const std::string& b : breaks) ADD_FAILURE() << "wire break against v1.0: " << b;
}

}  // namespace
