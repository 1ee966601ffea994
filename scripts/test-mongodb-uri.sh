#!/usr/bin/env bash
# Runs the database-facing tests against a MongoDB server given by
# MONGODB_URI. When MONGODB_URI is unset, it starts a second, separate
# embedded server (`countyhub embedded-db`) and points MONGODB_URI at it, so
# the path a real MongoDB deployment takes is exercised on every test run.
set -euo pipefail
bin=${1:?usage: $0 path/to/countyhub}

if [[ -z "${MONGODB_URI:-}" ]]; then
  dir=$(mktemp -d)
  log="$dir/embedded-db.log"
  "$bin" embedded-db --data "$dir" --addr 127.0.0.1:0 >"$dir/uri" 2>"$log" &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
  for _ in $(seq 100); do
    uri=$(head -n 1 "$dir/uri")
    [[ -n "$uri" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.1
  done
  [[ -n "$uri" ]] || { echo "embedded database did not start"; cat "$log"; exit 1; }
  export MONGODB_URI="$uri"
fi

echo "database tests against MONGODB_URI=$MONGODB_URI"
# PACKAGES picks fewer packages, for a quick check.
go test -count=1 ${GOTESTFLAGS:-} ${PACKAGES:-./store/... ./graph/... ./hub/... ./e2e/...}
