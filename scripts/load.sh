#!/usr/bin/env bash
# Starts a demo hub on a new data directory (rate limit off, so the hub and
# not its limit is measured), replays the dashboard's queries against it
# with `countyhub load`, and stops it. CLIENTS and DURATION set the load;
# HOSTILE=N runs it again beside N hostile clients and prints both; PLAIN=1
# runs it side by side with a plain handler serving the hub's answers.
set -euo pipefail
bin=${1:-./bin/countyhub}
plugins=${2:-./bin/plugins}
data=$(mktemp -d)
addr=127.0.0.1:${PORT:-18080}
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"' EXIT
"$bin" serve --addr "$addr" --data "$data" --plugins "$plugins" --demo --rate 0 --log-level warn &
pid=$!
for _ in $(seq 1 300); do
	curl -fs "http://$addr/readyz" >/dev/null 2>&1 && [ -s "$data/demo-admin.token" ] && break
	sleep 0.2
done
"$bin" load --hub "http://$addr" --token-file "$data/demo-admin.token" \
	--clients "${CLIENTS:-20}" --duration "${DURATION:-60s}" --hostile "${HOSTILE:-0}" ${PLAIN:+--plain}
