// The requests the performance figures are measured with (docs/PERFORMANCE.md):
// the same call facts feed the in-process benchmark and the gRPC harness, so
// their figures describe the same decisions.
#ifndef ESCALATION_TOOLS_BENCH_REQUEST_SET_H_
#define ESCALATION_TOOLS_BENCH_REQUEST_SET_H_

#include <string>
#include <vector>

#include "escalation/v1/service.pb.h"

namespace escalation::bench {

struct NamedRequest {
  std::string name;      // "simple", "heaviest", "reasons_6"...
  std::string what;      // One line for the report.
  int facts = 0;         // Reasons plus threats on the call.
  v1::RouteRequest request;
};

// simple: a Customer Service cancellation (transfer to Retention).
// heaviest: a Cinch delay whose de-escalation failed with a long queue, which
//   the Leadership Desk admits as a callback (route + admit).
// reasons_1, reasons_3, reasons_6: the first N reasons of the API's enum.
// reasons_all: every reason and every threat the API defines.
// All at a fixed instant inside business hours, so the answer never depends
// on the clock.
std::vector<NamedRequest> RequestSet();

}  // namespace escalation::bench

#endif  // ESCALATION_TOOLS_BENCH_REQUEST_SET_H_
