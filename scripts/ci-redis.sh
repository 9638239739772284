#!/usr/bin/env bash
# For CI: starts a throwaway Redis on 127.0.0.1 (installing redis-server when root and missing) and
# prints its URL for the fan-out test. Prints nothing when none can be had; that test then skips.
set -uo pipefail

readonly PORT=6391

if ! command -v redis-server >/dev/null; then
  [ "$(id -u)" -eq 0 ] || exit 0
  printf '[redis] installing redis-server\n' >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } >/dev/null 2>&1 || exit 0
fi
if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null || exit 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
echo "redis://127.0.0.1:$PORT"
