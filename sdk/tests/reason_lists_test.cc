// The configured strings of a call's reasons and threats: as a new list
// (ForCall) and appended to an answer's list (AddForCall), in the same order,
// once each, all of them when none of the call's reasons or threats has any.
#include "escalation/sdk/reason_lists.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::sdk {
namespace {

using ::testing::ElementsAre;

google::protobuf::Value ListOf(std::vector<std::string> strings) {
  google::protobuf::Value list;
  for (const std::string& s : strings) list.mutable_list_value()->add_values()->set_string_value(s);
  return list;
}

ReasonLists Comments() {
  google::protobuf::Struct config;
  google::protobuf::Struct& by = *(*config.mutable_fields())["comments"].mutable_struct_value();
  (*by.mutable_fields())["CANCEL_CONTRACT"] = ListOf({"Cancel", "Shared"});
  (*by.mutable_fields())["CINCH_SERVICE_DELAY"] = ListOf({"Shared", "Complaint"});
  (*by.mutable_fields())["LEGAL_ACTION"] = ListOf({"Legal"});
  absl::StatusOr<ReasonLists> lists = ReasonLists::Parse(config, "comments");
  EXPECT_TRUE(lists.ok()) << lists.status();
  return *lists;
}

std::vector<std::string> Added(const ReasonLists& lists, const v1::CallFacts& call,
                               std::vector<std::string> already = {}) {
  google::protobuf::RepeatedPtrField<std::string> out;
  for (const std::string& s : already) *out.Add() = s;
  lists.AddForCall(call, &out);
  return {out.begin(), out.end()};
}

TEST(ReasonListsTest, AddForCallAppendsWhatForCallGives) {
  const ReasonLists lists = Comments();
  v1::CallFacts call;
  call.add_reasons(v1::CINCH_SERVICE_DELAY);
  call.add_reasons(v1::CANCEL_CONTRACT);
  call.add_threats(v1::LEGAL_ACTION);
  EXPECT_THAT(lists.ForCall(call), ElementsAre("Shared", "Complaint", "Cancel", "Legal"));
  EXPECT_THAT(Added(lists, call), ElementsAre("Shared", "Complaint", "Cancel", "Legal"));
}

TEST(ReasonListsTest, ACallWhoseReasonsHaveNoListIsOfferedAll) {
  const ReasonLists lists = Comments();
  v1::CallFacts call;
  call.add_reasons(v1::BILLING_INQUIRY);
  EXPECT_EQ(lists.ForCall(call), lists.all());
  EXPECT_EQ(Added(lists, call), lists.all());
}

// What the list held stays first, and is not added again.
TEST(ReasonListsTest, AddForCallKeepsWhatTheListHeld) {
  const ReasonLists lists = Comments();
  v1::CallFacts call;
  call.add_reasons(v1::CANCEL_CONTRACT);
  EXPECT_THAT(Added(lists, call, {"Shared"}), ElementsAre("Shared", "Cancel"));
}

}  // namespace
}  // namespace escalation::sdk
