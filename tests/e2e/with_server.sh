#!/usr/bin/env bash
# Starts a real escalation-server process with a plugin directory on a free
# port, runs COMMAND against it (the literal argument @SERVER@ becomes the
# server's address), then stops it with SIGTERM, which must exit 0.
# Exits with COMMAND's status.
# usage: with_server.sh SERVER_BINARY PLUGIN_DIR COMMAND [ARGS...]
set -euo pipefail
server_binary=$1 plugin_dir=$2
shift 2

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

command=()
for arg in "$@"; do command+=("${arg//@SERVER@/127.0.0.1:$port}"); done
status=0
"${command[@]}" || status=$?

kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
if [[ $server_status -ne 0 ]]; then
  cat "$log"
  echo "server exited with $server_status after SIGTERM"
  exit 1
fi
exit "$status"
