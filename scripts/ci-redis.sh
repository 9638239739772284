#!/usr/bin/env bash
# For CI: starts a throwaway Redis on 127.0.0.1 (installing redis-server when root and missing) and
# prints its URL for the fan-out test. When none can be had it prints nothing on stdout and says why on
# stderr; that test then shows as skipped.
set -uo pipefail

readonly PORT=6391

give_up() {
  printf '[redis] not available: %s\n' "$*" >&2
  exit 0
}

if ! command -v redis-server >/dev/null; then
  [ "$(id -u)" -eq 0 ] || give_up "redis-server is missing and only root may install it"
  printf '[redis] installing redis-server\n' >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } >/dev/null 2>&1 ||
    give_up "apt-get install redis-server failed"
fi
if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null ||
    give_up "redis-server did not start on port $PORT"
  for _ in 1 2 3 4 5 6 7 8 9 10; do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
  redis-cli -p "$PORT" ping >/dev/null 2>&1 || give_up "redis-server on port $PORT does not answer PING"
fi
echo "redis://127.0.0.1:$PORT"
