#!/usr/bin/env bash
# A bounded load test on loopback (`make load`): a live `ecocredit serve` on SQLite — or, with
# LOAD_POSTGRES set to a PostgreSQL URL (a superuser; a database is made for the run), on
# PostgreSQL — 50 clients
# reading the public register (GET /v1/register/summary) and 4 uploading a geodata/ bundle
# (POST /v1/jobs, the zip as the raw body) at once for LOAD_SECONDS (default 60), with wrk from
# Debian. Prints each side's throughput, p50 and p99 latency and errors (non-2xx and socket
# errors), the jobs done, and the server's peak resident memory. Not a test: numbers for the README.
set -euo pipefail
bin=$(realpath "$1"); seconds=${LOAD_SECONDS:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); data=$work/data
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
storage=(); backend=SQLite
if [ -n "${LOAD_POSTGRES:-}" ]; then
  db=load_$$_$RANDOM
  psql "$LOAD_POSTGRES" -qc "CREATE DATABASE $db"
  storage=(--postgres "${LOAD_POSTGRES%/*}/$db"); backend="PostgreSQL $(psql "$LOAD_POSTGRES" -Atc 'SHOW server_version')"
fi
token=$("$bin" admin token-create --data "$data" "${storage[@]}" --actor load-contractor --role CON --days 1)
(cd "$repo/geodata" && zip -qr "$work/bundle.zip" shanwei-mudflat)
"$bin" serve --port "$port" --data "$data" "${storage[@]}" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
cat > "$work/upload.lua" <<LUA
local f = io.open("$work/bundle.zip", "rb"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body
wrk.headers["Content-Type"] = "application/zip"; wrk.headers["Authorization"] = "Bearer $token"
done = function(summary, latency, requests)
  io.write(string.format("non2xx-or-errors %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
cat > "$work/read.lua" <<LUA
done = function(summary, latency, requests)
  io.write(string.format("non2xx-or-errors %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
wrk -t2 -c50 -d"${seconds}s" --latency -s "$work/read.lua" "http://127.0.0.1:$port/v1/register/summary" > "$work/read.txt" &
reader=$!
wrk -t1 -c4 -d"${seconds}s" --latency -s "$work/upload.lua" "http://127.0.0.1:$port/v1/jobs" > "$work/upload.txt"
wait $reader
peak=$(awk '/VmHWM/ {print $2}' /proc/$server/status)
summary() { awk -v who="$1" '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /non2xx-or-errors/ {err=$2} /requests in/ {n=$1}
  END {printf "| %s | %s | %s | %s | %s | %s |\n", who, n, rps, p50, p99, err}' "$2"; }
echo "| clients | requests | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
summary "50 reading the register" "$work/read.txt"
summary "4 uploading bundles" "$work/upload.txt"
if [ -n "${LOAD_POSTGRES:-}" ]; then
  done_jobs=$(psql "${LOAD_POSTGRES%/*}/$db" -Atc "SELECT count(*) FROM jobs WHERE state = 'done'" 2>/dev/null || echo "?")
else
  done_jobs=$(sqlite3 "$data/service.sqlite" "SELECT count(*) FROM jobs WHERE state = 'done'" 2>/dev/null || echo "?")
fi
echo; echo "server peak RSS $((peak / 1024)) MiB; jobs done during the run: $done_jobs (the rest queued); $backend, 2 cores, ${seconds} s"
