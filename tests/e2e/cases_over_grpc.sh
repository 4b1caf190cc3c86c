#!/usr/bin/env bash
# Runs the department plugins' policy cases end to end: a real escalation-server
# process with the plugin directory, and escalation-policy-test --server.
# Then SIGTERM must stop the server with exit code 0.
# usage: cases_over_grpc.sh SERVER_BINARY RUNNER_BINARY PLUGIN_DIR CASE_DIR...
set -euo pipefail
server_binary=$1 runner=$2 plugin_dir=$3
shift 3

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$server_binary" --listen=127.0.0.1:0 --plugin_dir="$plugin_dir" 2>"$log" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on .* (port \([0-9]*\)).*/\1/p' "$log")
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log"; echo "server exited early"; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { cat "$log"; kill "$server_pid"; echo "server did not start"; exit 1; }

status=0
"$runner" --server "127.0.0.1:$port" "$@" || status=$?

kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
if [[ $server_status -ne 0 ]]; then
  cat "$log"
  echo "server exited with $server_status after SIGTERM"
  exit 1
fi
exit "$status"
