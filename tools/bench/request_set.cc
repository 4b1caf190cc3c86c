#include "tools/bench/request_set.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace escalation::bench {
namespace {

v1::RouteRequest Call() {
  v1::RouteRequest request;
  v1::CallFacts* call = request.mutable_call();
  call->set_department(v1::CUSTOMER_SERVICE);
  call->set_site("tampa");
  call->set_customer_name("Ada Lovelace");
  request.mutable_evaluation_time()->set_seconds(1795446000);  // A Monday, 10:00 Eastern.
  return request;
}

NamedRequest Reasons(int count) {
  NamedRequest named{absl::StrCat("reasons_", count),
                     absl::StrCat("Customer Service, the first ", count, " reasons"), 0,
                     Call()};
  const google::protobuf::EnumDescriptor* reasons = v1::Reason_descriptor();
  for (int i = 0; i < reasons->value_count() && named.facts < count; ++i) {
    if (reasons->value(i)->number() == v1::REASON_UNSPECIFIED) continue;
    named.request.mutable_call()->add_reasons(
        static_cast<v1::Reason>(reasons->value(i)->number()));
    ++named.facts;
  }
  return named;
}

NamedRequest Everything() {
  NamedRequest named{"reasons_all", "Customer Service, every reason and every threat", 0,
                     Call()};
  v1::CallFacts* call = named.request.mutable_call();
  const google::protobuf::EnumDescriptor* reasons = v1::Reason_descriptor();
  for (int i = 0; i < reasons->value_count(); ++i) {
    if (reasons->value(i)->number() == v1::REASON_UNSPECIFIED) continue;
    call->add_reasons(static_cast<v1::Reason>(reasons->value(i)->number()));
  }
  const google::protobuf::EnumDescriptor* threats = v1::Threat_descriptor();
  for (int i = 0; i < threats->value_count(); ++i) {
    if (threats->value(i)->number() == v1::THREAT_UNSPECIFIED) continue;
    call->add_threats(static_cast<v1::Threat>(threats->value(i)->number()));
  }
  named.facts = call->reasons_size() + call->threats_size();
  return named;
}

}  // namespace

std::vector<NamedRequest> RequestSet() {
  std::vector<NamedRequest> set;
  set.push_back({"simple", "Customer Service cancellation: transfer to Retention", 1,
                 Call()});
  set.back().request.mutable_call()->add_reasons(v1::CANCEL_CONTRACT);

  set.push_back({"heaviest",
                 "Cinch delay, de-escalation failed, 4 min queue: Leadership Desk "
                 "callback (route + admit)",
                 1, Call()});
  v1::CallFacts* heavy = set.back().request.mutable_call();
  heavy->add_reasons(v1::CINCH_SERVICE_DELAY);
  heavy->set_de_escalation_failed(true);
  heavy->mutable_live_transfer_queue_wait()->set_seconds(240);

  for (int count : {1, 3, 6}) set.push_back(Reasons(count));
  set.push_back(Everything());
  return set;
}

}  // namespace escalation::bench
