# Sourced by tools/run and tools/test: installs the Debian 12 packages the
# project needs (only those missing) and builds it in ./build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${ESCALATION_BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  build-essential cmake pkg-config
  protobuf-compiler libprotobuf-dev
  libgrpc++-dev protobuf-compiler-grpc
  libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev
  tzdata
  libssl-dev  # libcrypto's SHA-256 for the plugin allow-list
  clang libclang-rt-14-dev  # the fuzz build: clang, libFuzzer and the sanitizer runtimes
  python3 python3-grpcio python3-protobuf  # the external-client test
  prometheus-cpp-dev libssl-dev  # /metrics (pull exposer); SHA-256 of plugins and masked fields
  libsystemd-dev                 # sd_notify: Type=notify under systemd
  libjemalloc-dev                # the server's allocator (cmake/EscalationMalloc.cmake)
  openssl                        # the TLS tests make their certificates
  yamllint systemd python3-yaml  # the deploy/ tests: manifests, systemd-analyze verify
  podman runc mmdebstrap         # deploy_container: a Debian 12 image of the installed layout
  haproxy                        # deploy_rolling_restart: the load balancer in front of replicas
  nlohmann-json3-dev             # JSON strings in log lines: escaping, invalid UTF-8 replaced
)

# install_missing_packages [more packages...]: PACKAGES and those given.
install_missing_packages() {
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

# configure [extra cmake args...]
configure() {
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
}

# build [extra cmake args...]: everything (tests, benchmarks, tools).
build() {
  configure "$@"
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

# build_serving: only what serving and installing need: the server, its plugin worker,
# escalationctl, the case runner and one target per department plugin (a folder of plugins/),
# not the test suite, benchmarks or fuzzers.
build_serving() {
  configure
  local targets=(escalation-server escalation-plugin-host escalationctl escalation-policy-test)
  local dir
  for dir in "$ROOT"/plugins/*/; do
    [[ -f $dir/CMakeLists.txt ]] && targets+=("$(basename "$dir")")
  done
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target "${targets[@]}"
}
