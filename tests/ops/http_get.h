// A plain HTTP/1.0 GET over loopback, enough to scrape /metrics the way
// Prometheus does (no client library stands in for the real endpoint), and
// reading one sample out of the scrape.
#ifndef ESCALATION_TESTS_OPS_HTTP_GET_H_
#define ESCALATION_TESTS_OPS_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace escalation::test {

struct HttpResponse {
  int status = 0;
  std::string headers;
  std::string body;
};

// GET http://127.0.0.1:`port``path`.
absl::StatusOr<HttpResponse> HttpGet(int port, const std::string& path);

// The value of the sample `series` (name and labels exactly as exposed, labels
// in name order) in a Prometheus text scrape, or -1 when there is none.
double MetricSample(const std::string& scrape, const std::string& series);

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_OPS_HTTP_GET_H_
