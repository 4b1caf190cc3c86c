# Helpers for the callgrind tools of tools/bench (sourced, not run): both
# measure one decision as the difference of a short and a long run of
# policy_engine_benchmark, so that what the first call pays once cancels out.

# callgrind_run BENCHMARK REQUEST SECONDS FILE [valgrind flags...]: runs
# BM_Route/REQUEST for SECONDS under callgrind, writing FILE.
callgrind_run() {
  local benchmark=$1 request=$2 seconds=$3 file=$4
  shift 4
  valgrind --tool=callgrind --callgrind-out-file="$file" "$@" "$benchmark" \
      --benchmark_filter="^BM_Route/$request\$" --benchmark_min_time="$seconds" >/dev/null 2>&1
}

# route_async_calls_and_cost FILE: "CALLS INSTRUCTIONS" of RouteAsync in a
# callgrind FILE. Callgrind names a function once, "fn=(N) name" or
# "cfn=(N) name", then only "(N)". Each call to it is "cfn=(N)",
# "calls=COUNT ...", then "LINE INCLUSIVE-INSTRUCTIONS".
route_async_calls_and_cost() {
  local id
  id=$(grep -m1 -o 'fn=([0-9]*) escalation::host::PolicyEngine::RouteAsync' "$1" |
       grep -o '([0-9]*)')
  awk -v callee="cfn=$id" '
    $1 == callee { getline; split($1, c, "="); calls += c[2]; getline; cost += $2 }
    END { print calls + 0, cost + 0 }' "$1"
}
