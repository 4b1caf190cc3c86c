// A configured list of strings per reason or threat of a call, e.g. the
// approved Exception Comments "based on the reason":
//   {"CINCH_SERVICE_DELAY": ["..."], "LEGAL_ACTION": ["...", "..."]}
// Keys are escalation.v1.Reason or escalation.v1.Threat names.
#ifndef ESCALATION_SDK_REASON_LISTS_H_
#define ESCALATION_SDK_REASON_LISTS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "escalation/sdk/plugin.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/struct.pb.h"

namespace escalation::sdk {

class ReasonLists {
 public:
  // The value at `key` of `config`: an object as above, or a plain list of
  // strings (then no reason has its own list: every call is offered all).
  // Errors name the key, and the reason or threat name at fault.
  static absl::StatusOr<ReasonLists> Parse(const google::protobuf::Struct& config,
                                           absl::string_view key);

  // Every string configured, once each: the reasons' lists in Reason
  // order, then the threats' in Threat order.
  const std::vector<std::string>& all() const { return all_; }

  // The strings for the call's reasons and threats, once each, in the call's
  // order (reasons first); all() when none of them has a list.
  std::vector<std::string> ForCall(const v1::CallFacts& call) const;
  // Appends the strings ForCall gives, in its order, to `out` (a list of an
  // answer), each that it does not hold yet.
  void AddForCall(const v1::CallFacts& call,
                  google::protobuf::RepeatedPtrField<std::string>* out) const;

 private:
  std::vector<std::pair<int, std::vector<std::string>>> by_reason_;
  std::vector<std::pair<int, std::vector<std::string>>> by_threat_;
  std::vector<std::string> all_;
};

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_REASON_LISTS_H_
