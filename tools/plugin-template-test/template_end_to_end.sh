#!/usr/bin/env bash
# usage: template_end_to_end.sh CMAKE BUILD_DIR TEMPLATE_DIR [CXX_FLAGS]
# What a department team does, start to finish: install the SDK and tools from
# BUILD_DIR to a temporary prefix, build the template out of tree with only
# find_package(EscalationSDK), run its cases with the installed runner, load it
# into the installed server, and find it with escalationctl.
set -euo pipefail
cmake_bin=$1 build_dir=$2 template_dir=$3
# A sanitizer build installs a sanitized SDK; the template must match it.
template_cxx_flags=${4:-}
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
step() { echo "== $*"; }

prefix=$work/prefix
step "cmake --install $build_dir --prefix $prefix"
"$cmake_bin" --install "$build_dir" --prefix "$prefix" > "$work/install.log" \
  || { cat "$work/install.log"; fail "install"; }

step "build a copy of the template out of tree, in it, as its README says"
cp -r "$template_dir" "$work/template"
cd "$work/template"
"$cmake_bin" -S . -B build -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$template_cxx_flags" \
  -DCMAKE_MODULE_LINKER_FLAGS="$template_cxx_flags" > "$work/configure.log" \
  || { cat "$work/configure.log"; fail "configure the template"; }
"$cmake_bin" --build build -j2 || fail "build the template"
plugin=$work/template/build/example_department.so
[[ -f $plugin && -f build/example_department.json ]] || fail "no plugin or config built"

step "run its cases with the installed escalation-policy-test, --plugin relative"
"$prefix/bin/escalation-policy-test" --verbose --plugin build/example_department.so cases \
  | tee "$work/cases.txt" || fail "escalation-policy-test exited $?"
grep -qx "5 passed, 0 failed" "$work/cases.txt" || fail "cases"

step "serve it with the installed escalation-server"
"$prefix/bin/escalation-server" --listen=127.0.0.1:0 --plugins="$plugin" 2> "$work/server.log" &
server_pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's/.*listening on .*(port \([0-9]*\)).*/\1/p' "$work/server.log")
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "server exited"; }
  sleep 0.1
done
[[ -n $port ]] || { cat "$work/server.log"; fail "server did not say its port"; }
ctl=("$prefix/bin/escalationctl" --server "127.0.0.1:$port" --deadline 10s)

"${ctl[@]}" health | grep -qx SERVING || fail "health"
"${ctl[@]}" plugins | tee "$work/plugins.txt"
grep -q "^example_department 0.1.0 (ABI 1\.2)" "$work/plugins.txt" || fail "plugin not listed"
grep -q "config: .*example_department.json" "$work/plugins.txt" || fail "config not found"

"${ctl[@]}" route --department customer-service --customer-refuses-information \
  --customer-name Ada | tee "$work/route.txt"
grep -q "\"Ada I understand your concern" "$work/route.txt" || fail "route script"
grep -q "example.refuses_information" "$work/route.txt" || fail "route rule"

"${ctl[@]}" validate --kind T3_TASK | tee "$work/validate.txt"
grep -q "WARNING in field 'linked_task_ids'" "$work/validate.txt" || fail "validate warning"

kill -TERM "$server_pid"
wait "$server_pid" || fail "server did not exit 0 on SIGTERM"
server_pid=
echo "plugin template: OK"
