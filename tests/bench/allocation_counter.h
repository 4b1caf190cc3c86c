// Counts every operator new in the process (the benchmark binary replaces the
// global allocation functions; plugins loaded into it use them too), so a
// benchmark can print allocations per decision beside its time.
#ifndef ESCALATION_TESTS_BENCH_ALLOCATION_COUNTER_H_
#define ESCALATION_TESTS_BENCH_ALLOCATION_COUNTER_H_

#include <cstdint>

namespace escalation::bench {

// Allocations made by any thread since the process started.
int64_t AllocationsSoFar();

}  // namespace escalation::bench

#endif  // ESCALATION_TESTS_BENCH_ALLOCATION_COUNTER_H_
