#!/usr/bin/env bash
# Builds the mediasoup C++ worker against Debian's system libraries, so that
# nothing is downloaded except apt packages (GitHub, pip and the meson wrapdb
# are not needed). The binary is cached outside the repo, keyed by version.
#
# Usage:  worker_bin="$(scripts/setup/mediasoup-worker.sh | tail -n1)"
#         MEDIASOUP_WORKER_BIN="$worker_bin" node ...
#
# Env:    MEDIASOUP_PKG_DIR    mediasoup npm package (default: <repo>/node_modules/mediasoup)
#         PRESSROOM_CACHE_DIR  cache root (default: ~/.cache/pressroom)
#
# Progress goes to stderr; the last line of stdout is the binary's absolute path.
set -euo pipefail

readonly EXPECTED_VERSION="3.12.16"
readonly APT_PACKAGES=(
  meson ninja-build pkg-config g++ make
  libuv1-dev libssl-dev libsrtp2-dev libabsl-dev nlohmann-json3-dev libusrsctp-dev
)
readonly MESON_BIN=/usr/bin/meson
readonly NINJA_BIN=/usr/bin/ninja
# main.cpp exits with 41 when MEDIASOUP_VERSION is unset: proof the binary
# starts and all its shared libraries resolve.
readonly WORKER_NO_PARENT_EXIT_CODE=41

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
PKG_DIR="${MEDIASOUP_PKG_DIR:-$REPO_ROOT/node_modules/mediasoup}"
CACHE_ROOT="${PRESSROOM_CACHE_DIR:-$HOME/.cache/pressroom}/mediasoup-worker"
readonly SCRIPT_DIR REPO_ROOT PKG_DIR CACHE_ROOT

log() { printf '[mediasoup-worker] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

package_version() {
  [[ -f "$PKG_DIR/package.json" && -d "$PKG_DIR/worker" ]] ||
    die "mediasoup package not found at $PKG_DIR (run: MEDIASOUP_WORKER_BIN=skip npm install)"
  node -p 'require(process.argv[1]).version' "$PKG_DIR/package.json"
}

worker_runs() {
  local bin="$1" rc=0
  [[ -x "$bin" ]] || return 1
  env -u MEDIASOUP_VERSION timeout 10 "$bin" </dev/null >/dev/null 2>&1 || rc=$?
  [[ "$rc" -eq "$WORKER_NO_PARENT_EXIT_CODE" ]]
}

missing_apt_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" == "installed" ]] ||
      printf '%s\n' "$pkg"
  done
}

ensure_apt_packages() {
  local missing
  mapfile -t missing < <(missing_apt_packages)
  [[ ${#missing[@]} -eq 0 ]] && return 0

  if [[ "$(id -u)" -ne 0 ]]; then
    log "missing packages: ${missing[*]}; as root run:"
    log "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  log "installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local apt_log
  apt_log=$(mktemp -t pressroom-apt.XXXXXX.log)
  if ! { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    die "apt-get failed (log: $apt_log)"
  fi
  rm -f "$apt_log"
}

# Runs a command with its output appended to the build log; on failure shows
# the tail of the log and stops.
run_logged() {
  local log_file="$1"; shift
  if ! "$@" >>"$log_file" 2>&1; then
    log "failed: $*"
    log "log: $log_file (last 40 lines below)"
    tail -n 40 "$log_file" >&2
    exit 1
  fi
}

# Each shim stands in for a wrapdb subproject: it finds the system library with
# dependency() and exposes the variables the worker's meson.build reads. The
# *_lib variables only feed the static library target, which we never build.
write_subproject_shims() {
  local sub="$1"
  rm -rf "$sub"
  mkdir -p "$sub"/{openssl,nlohmann_json,libuv,libsrtp2,usrsctp,abseil-cpp,catch2}

  cat >"$sub/openssl/meson.build" <<'EOF'
project('openssl')
openssl_dep = dependency('openssl')
libssl_dep = dependency('libssl')
libcrypto_dep = dependency('libcrypto')
libssl_lib = []
libcrypto_lib = []
EOF

  cat >"$sub/nlohmann_json/meson.build" <<'EOF'
project('nlohmann_json')
nlohmann_json_dep = dependency('nlohmann_json')
EOF

  cat >"$sub/libuv/meson.build" <<'EOF'
project('libuv')
libuv_dep = dependency('libuv')
libuv = []
EOF
  cat >"$sub/libuv/meson_options.txt" <<'EOF'
option('build_tests', type: 'boolean', value: false)
option('build_benchmarks', type: 'boolean', value: false)
EOF

  # Debian installs srtp.h under <includedir>/srtp2 but the worker includes <srtp.h>.
  cat >"$sub/libsrtp2/meson.build" <<'EOF'
project('libsrtp2')
_srtp = dependency('libsrtp2')
libsrtp2_dep = declare_dependency(
  dependencies: _srtp,
  compile_args: '-I' + (_srtp.get_variable(pkgconfig: 'includedir') / 'srtp2'),
)
libsrtp2 = []
EOF
  cat >"$sub/libsrtp2/meson_options.txt" <<'EOF'
option('crypto-library', type: 'string', value: 'openssl')
option('crypto-library-kdf', type: 'string', value: 'disabled')
option('tests', type: 'string', value: 'disabled')
EOF

  cat >"$sub/usrsctp/meson.build" <<'EOF'
project('usrsctp')
usrsctp_dep = dependency('usrsctp')
usrsctp = []
EOF
  cat >"$sub/usrsctp/meson_options.txt" <<'EOF'
option('sctp_build_programs', type: 'boolean', value: false)
EOF

  cat >"$sub/abseil-cpp/meson.build" <<'EOF'
project('abseil-cpp')
absl_container_dep = declare_dependency(dependencies: [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_btree'),
  dependency('absl_inlined_vector'),
])
absl_strings_dep = dependency('absl_strings')
absl_types_dep = dependency('absl_optional')
absl_container_lib = []
EOF

  # Only the unit-test targets use catch2, and they are not built.
  cat >"$sub/catch2/meson.build" <<'EOF'
project('catch2')
catch2_dep = dependency('', required: false)
EOF
}

# Copies the worker sources out of node_modules (npm ci wipes it) and adapts
# them to build offline with Debian's meson.
prepare_sources() {
  local src="$1"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -a "$PKG_DIR/worker" "$src"
  rm -rf "$src/out"
  write_subproject_shims "$src/subprojects"
  # Debian 12 ships meson 1.0.1; the worker builds fine with it.
  sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" "$src/meson.build"
  # An existing pip dir makes the Makefile skip its pip install of meson/ninja.
  mkdir -p "$src/out/pip"
}

compile_worker() {
  local src="$1" log_file="$2"
  # MEDIASOUP_WORKER_BIN must be empty here, or the Makefile skips the compile.
  run_logged "$log_file" env -u MEDIASOUP_WORKER_BIN nice -n 10 \
    make -C "$src" mediasoup-worker \
      MEDIASOUP_OUT_DIR="$src/out" \
      MESON="$MESON_BIN" \
      NINJA="$NINJA_BIN" \
      MESON_ARGS=--wrap-mode=nodownload
}

build_worker() {
  local version="$1" target="$2"
  local version_dir src log_file tmp_bin
  version_dir="$(dirname "$target")"
  src="$version_dir/build"
  log_file="$version_dir/build.log"
  tmp_bin="$version_dir/.mediasoup-worker.tmp.$$"

  ensure_apt_packages
  : >"$log_file"
  log "building $version in $src (log: $log_file), takes a few minutes"
  SECONDS=0
  prepare_sources "$src"
  compile_worker "$src" "$log_file"

  local built="$src/out/Release/mediasoup-worker"
  worker_runs "$built" || die "built binary $built does not run (log: $log_file)"
  cp "$built" "$tmp_bin"
  mv -f "$tmp_bin" "$target"
  rm -rf "$src"
  log "built $version in ${SECONDS}s"
}

main() {
  local version version_dir target
  version="$(package_version)"
  [[ "$version" == "$EXPECTED_VERSION" ]] ||
    die "mediasoup $version found, but this script's subproject shims are written for $EXPECTED_VERSION"

  version_dir="$CACHE_ROOT/$version"
  target="$version_dir/mediasoup-worker"
  mkdir -p "$version_dir"

  if ! worker_runs "$target"; then
    # Serialise concurrent runs; whoever waited reuses the winner's binary.
    exec 9>"$version_dir/.lock"
    flock 9
  fi
  if worker_runs "$target"; then
    log "mediasoup worker $version: cached"
  else
    build_worker "$version" "$target"
  fi
  printf '%s\n' "$target"
}

main "$@"
