#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster on loopback, with
# ECOCREDIT_TEST_PG_URL naming it (a superuser `ecocredit`; the tests create a database per
# ledger). The cluster lives in a temporary folder and is stopped and removed on exit, however
# the command ends. initdb refuses to run as root: as root, the cluster runs as `postgres`.
# fsync is off — these are tests of logic and of concurrency, not of power loss — unless
# ECOCREDIT_PG_DURABLE is set (the load test's numbers: a server as it would be run).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: no PostgreSQL server installed (make deps installs Debian's postgresql)" >&2; exit 1
fi
D=$(mktemp -d /tmp/ecocredit-pg.XXXXXX)
chmod 755 "$D"
as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$D"; as=(runuser -u postgres --); fi
stop() { "${as[@]}" "$bin/pg_ctl" -D "$D/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$D"; }
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$D/data" -A trust -U ecocredit --no-sync -E UTF8 --locale=C.UTF-8 >"$D/initdb.log" 2>&1 \
  || { cat "$D/initdb.log" >&2; exit 1; }
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ -n "${ECOCREDIT_PG_DURABLE:-}" ] && durability=""
started=
for port in $(seq "${ECOCREDIT_PG_PORT:-55432}" $(( ${ECOCREDIT_PG_PORT:-55432} + 20 ))); do
  if "${as[@]}" "$bin/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 30 \
       -o "-c listen_addresses=127.0.0.1 -p $port -k $D $durability -c max_connections=200" \
       start >/dev/null 2>&1; then started=$port; break; fi
done
if [ -z "$started" ]; then echo "with-postgres: the server did not start" >&2; cat "$D/server.log" >&2 || true; exit 1; fi
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$started (throw-away cluster in $D)"
export ECOCREDIT_TEST_PG_URL="postgres://ecocredit@127.0.0.1:$started/postgres"
"$@"
