#!/usr/bin/env bash
# usage: extension_types_test.sh SERVER_BINARY ESCALATIONCTL GOOD_A_PLUGIN GOOD_B_PLUGIN
# A real server with two copies of the test plugin that declares the
# extension fact cancel_requested (a bool): escalationctl converts
# `--extension KEY=VALUE` by the declared type, refuses a value that does not
# convert, the server refuses a wrongly typed fact sent as JSON, and
# `escalationctl plugins` shows the declared facts and the overlaps.
set -euo pipefail
server_binary=$1 ctl_binary=$2 good_a=$3 good_b=$4
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

"$server_binary" --listen=127.0.0.1:0 --plugins="$good_a,$good_b" 2> "$work/server.log" &
server_pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's/.*listening on .*(port \([0-9]*\)).*/\1/p' "$work/server.log")
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "server exited"; }
  sleep 0.1
done
[[ -n $port ]] || { cat "$work/server.log"; fail "server did not say its port"; }
grep -q '"plugin_overlap".*department CUSTOMER_SERVICE is routed for by 2 plugins (good_a, good_b)' \
  "$work/server.log" || { cat "$work/server.log"; fail "overlap not logged at load"; }
ctl=("$ctl_binary" --server "127.0.0.1:$port" --deadline 10s)

# run EXPECTED_EXIT OUTPUT_FILE ARGS...: runs escalationctl, checks its exit code.
run() {
  local expected=$1 out=$2 code=0
  shift 2
  "${ctl[@]}" "$@" > "$out" 2>&1 || code=$?
  cat "$out"
  [[ $code -eq $expected ]] || fail "escalationctl $* exited $code, expected $expected"
}

echo "== --extension cancel_requested=yes is sent as the bool the plugin declares"
run 0 "$work/yes.txt" route --department customer-service --extension cancel_requested=yes
grep -q "Decision: TRANSFER -> RETENTION" "$work/yes.txt" || fail "cancel_requested=yes did not reach the rule"

echo "== a value that is no bool is refused before anything is sent"
run 2 "$work/maybe.txt" route --department customer-service --extension cancel_requested=maybe
grep -qF "plugin good_a declares extension fact 'cancel_requested' a bool" "$work/maybe.txt" \
  || fail "no clear conversion error"

echo "== the server refuses a string where the plugin declares a bool"
echo '{"call": {"department": "CUSTOMER_SERVICE", "extensions": {"cancel_requested": "yes"}}}' \
  > "$work/request.json"
run 3 "$work/json.txt" route --input "$work/request.json"
grep -qF "INVALID_ARGUMENT: call.extensions.cancel_requested: plugins good_a, good_b declare this fact a bool" \
  "$work/json.txt" || fail "no INVALID_ARGUMENT naming the fact"

echo "== escalationctl plugins shows the declared facts and the overlaps"
run 0 "$work/plugins.txt" plugins
grep -q "cancel_requested (bool): " "$work/plugins.txt" || fail "facts not listed"
grep -q "task kind T2_TASK is validated by 2 plugins (good_a, good_b)" "$work/plugins.txt" \
  || fail "overlap not listed"

kill -TERM "$server_pid"
wait "$server_pid" || fail "server did not exit 0 on SIGTERM"
server_pid=
echo "extension types: OK"
