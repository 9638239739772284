#!/usr/bin/env bash
# For CI: starts the machine's PostgreSQL (installing it when root and missing) and prints a URL the
# PostgreSQL test can use. When no server can be had it prints nothing on stdout and says why on
# stderr; that test then shows as skipped.
set -uo pipefail

log() { printf '[postgres] %s\n' "$*" >&2; }
give_up() {
  log "not available: $*"
  exit 0
}

if ! command -v pg_ctlcluster >/dev/null; then
  [ "$(id -u)" -eq 0 ] || give_up "pg_ctlcluster is missing and only root may install postgresql"
  log "installing postgresql"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >/dev/null 2>&1 ||
    give_up "apt-get install postgresql failed"
fi
cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
[ -n "$cluster" ] || give_up "no PostgreSQL cluster (pg_lsclusters lists none)"
# shellcheck disable=SC2086 # version and name are two words on purpose
pg_ctlcluster $cluster start >/dev/null 2>&1 || true
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
su postgres -c "psql -q -p $port -c \"DO \\\$\\\$ BEGIN CREATE ROLE pressroom_ci LOGIN CREATEDB PASSWORD 'pressroom_ci'; EXCEPTION WHEN duplicate_object THEN NULL; END \\\$\\\$;\"" >/dev/null 2>&1 ||
  give_up "cluster $cluster did not start or refused to create the pressroom_ci role (port $port)"
# So the purge test can find the table files (data_directory) and flush them (CHECKPOINT, PostgreSQL 15+)
# to look for purged rows in them; without these it checks less.
for role in pg_read_all_settings pg_checkpoint; do
  su postgres -c "psql -q -p $port -c 'GRANT $role TO pressroom_ci'" >/dev/null 2>&1 || true
done
echo "postgres://pressroom_ci:pressroom_ci@127.0.0.1:$port/postgres"
