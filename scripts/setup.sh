#!/usr/bin/env bash
# Brings a Debian machine with Node 20 and npm to a runnable Pressroom: system packages, npm
# dependencies, the mediasoup worker, and the build. Idempotent: each step skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

# Runs a noisy step (apt, dpkg, npm, compilers) with its output in a log file, shown only when it fails.
SETUP_LOG=${TMPDIR:-/tmp}/pressroom-setup.$$.log
quietly() {
  if "$@" >"$SETUP_LOG" 2>&1; then
    rm -f "$SETUP_LOG"
  else
    local status=$?
    log "Failed ($status): $*"
    cat "$SETUP_LOG" >&2
    log "(this output is kept in $SETUP_LOG)"
    exit "$status"
  fi
}

require_node_20() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" != "20" ]; then
    log "Pressroom needs Node.js 20 (found $(node --version))."
    exit 1
  fi
}

# Debian packages: a C++ toolchain for better-sqlite3's native addon, FFmpeg and a font for the broadcast,
# and with --with-test-tools Chromium for the browser tests, nginx and openssl (a self-signed certificate)
# for the reverse-proxy tests, nginx's RTMP module for the restream test (an RTMP ingest on 127.0.0.1),
# coturn for the TURN relay test (each run by its test on a free port; the system services are not used),
# wrk for `npm run bench:origin`.
install_system_packages() {
  local wanted=(python3 make g++ ffmpeg fonts-dejavu-core) missing=()
  [ "$WITH_TEST_TOOLS" = 1 ] && wanted+=(chromium nginx libnginx-mod-rtmp openssl coturn wrk)
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ]; then
    log "Missing Debian packages. Run as root, then again: apt-get update && apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "Installing Debian packages: ${missing[*]}"
  quietly apt-get update
  quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  # The TURN test runs coturn itself; the package would also start a system TURN server on port 3478.
  if [[ " ${missing[*]} " == *" coturn "* ]] && [ -d /run/systemd/system ]; then
    quietly systemctl disable --now coturn
  fi
}

# npm ci only when the lockfile changed since the last install. mediasoup's postinstall would download
# a worker from GitHub: with MEDIASOUP_WORKER_BIN set it skips that, and the next step builds one.
install_npm_dependencies() {
  local stamp=node_modules/.pressroom-install.sha current
  current=$(cat package.json package-lock.json libs/*/package.json | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$current" ]; then
    return
  fi
  log "Installing npm dependencies"
  quietly env MEDIASOUP_WORKER_BIN=skip npm ci --no-audit --no-fund --loglevel=error
  echo "$current" >"$stamp"
}

build_mediasoup_worker() {
  bash scripts/setup/mediasoup-worker.sh >/dev/null
}

build() {
  log "Building"
  quietly npx --no-install tsc -b apps/api/tsconfig.app.json test/bench/tsconfig.json
  bash scripts/setup/frontends.sh
}

WITH_TEST_TOOLS=0
[ "${1:-}" = --with-test-tools ] && WITH_TEST_TOOLS=1

require_node_20
install_system_packages
install_npm_dependencies
build_mediasoup_worker
build
