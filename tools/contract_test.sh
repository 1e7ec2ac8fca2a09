#!/usr/bin/env bash
# The contract: schemathesis (PyPI) against a live `ecocredit serve` with its own /openapi.yaml,
# every operation with a valid officer's token — no 5xx, every response valid against the
# schema, its status and content type documented — through its coverage, fuzzing and stateful
# phases, deterministic generation. Usage: tools/contract_test.sh ECOCREDIT_BINARY
set -euo pipefail
bin=$(realpath "$1")
cd "$(dirname "$0")"
venv=../.build/contract-venv
[ -x $venv/bin/schemathesis ] || { python3 -m venv $venv && $venv/bin/pip install -q schemathesis==4.32.5; }
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$("$bin" admin token-create --data "$data" --actor contract-officer --role OFF --days 1)
"$bin" serve --port "$port" --data "$data" --workers 0 > "$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.1; done
SCHEMATHESIS_HOOKS=schemathesis_hooks $venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.yaml" --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --max-examples 30 --generation-deterministic --no-color
