// Closed-loop load through grpc::GenericStub: the same request bytes to any
// server, a fixed number of calls kept in flight, nothing parsed on the way
// back. Server CPU comes from the server's /proc/PID/stat.
#ifndef ESCALATION_TOOLS_BENCH_LOAD_H_
#define ESCALATION_TOOLS_BENCH_LOAD_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace escalation::bench {

inline constexpr char kRouteMethod[] = "/escalation.v1.RoutingService/Route";

// One unary call to `method` with raw bytes; the response's bytes.
absl::StatusOr<std::string> CallOnce(const std::string& address, const std::string& method,
                                     const std::string& request);

struct LoadOptions {
  std::string address;
  std::string request;          // Wire bytes sent on every call.
  int in_flight = 64;
  int channels = 2;             // Connections the calls are spread over.
  absl::Duration warmup = absl::Milliseconds(300);
  absl::Duration measure = absl::Seconds(2);
  std::function<absl::StatusOr<absl::Duration>()> server_cpu;  // CPU time so far.
  std::function<int64_t()> server_switches;  // Voluntary context switches so far.
};

struct LoadResult {
  int64_t calls = 0;            // Completed inside the measured window.
  double seconds = 0;
  double p50_us = 0, p99_us = 0;
  double server_cpu_us = 0;     // Over the measured window.
  int64_t server_switches = 0;  // Voluntary context switches, the same window.

  double calls_per_second() const { return seconds > 0 ? calls / seconds : 0; }
  double cpu_us_per_call() const { return calls > 0 ? server_cpu_us / calls : 0; }
  double switches_per_call() const {
    return calls > 0 ? static_cast<double>(server_switches) / calls : 0;
  }
};

// Any failed call fails the run with that call's status.
absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options);

}  // namespace escalation::bench

#endif  // ESCALATION_TOOLS_BENCH_LOAD_H_
