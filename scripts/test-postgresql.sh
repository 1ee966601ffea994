#!/usr/bin/env bash
# Runs the database-facing tests against FerretDB on PostgreSQL: it starts
# a throwaway PostgreSQL server from the system's packages (Debian's
# postgresql) in a temporary directory, serves it over the MongoDB wire
# protocol with `countyhub embedded-db --postgresql`, and runs the tests of
# scripts/test-mongodb-uri.sh against that. POSTGRESQL_URL names an existing
# database instead, and skips starting a server.
set -euo pipefail
bin=$(realpath "${1:?usage: $0 path/to/countyhub}")
cd "$(dirname "$0")/.."

dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [[ -f "$dir/pg/postmaster.pid" ]]; then as_pg "$pgbin/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root; as root, the server runs as the
# postgres user that the Debian package creates.
as_pg() {
  if [[ $(id -u) = 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  for p in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port" >&2; exit 1
}

if [[ -z "${POSTGRESQL_URL:-}" ]]; then
  pgbin=$(dirname "$(realpath "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")")
  [[ -x "$pgbin/initdb" ]] || { echo "PostgreSQL is not installed (Debian: apt-get install postgresql)"; exit 1; }
  chmod 755 "$dir"
  mkdir "$dir/pg" "$dir/sock"
  [[ $(id -u) = 0 ]] && chown postgres "$dir/pg" "$dir/sock"
  as_pg "$pgbin/initdb" -D "$dir/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log"; exit 1; }
  port=$(free_port)
  as_pg "$pgbin/pg_ctl" -D "$dir/pg" -l "$dir/sock/pg.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null ||
    { cat "$dir/sock/pg.log"; exit 1; }
  as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres countyhub
  # FerretDB holds a pool connection per statement of a bulk update until
  # the command ends (see store.upsertBatch): give it room for many.
  POSTGRESQL_URL="postgres://postgres@127.0.0.1:$port/countyhub?pool_max_conns=150"
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
fi

"$bin" embedded-db --postgresql "$POSTGRESQL_URL" --addr 127.0.0.1:0 --data "$dir/unused" >"$dir/uri" 2>"$dir/ferretdb.log" &
pids+=($!)
uri=""
for _ in $(seq 100); do
  uri=$(head -n 1 "$dir/uri")
  [[ -n "$uri" ]] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$dir/ferretdb.log"; exit 1; }
  sleep 0.1
done
[[ -n "$uri" ]] || { echo "FerretDB on PostgreSQL did not start"; cat "$dir/ferretdb.log"; exit 1; }

echo "FerretDB on PostgreSQL at $uri"
MONGODB_URI="$uri" scripts/test-mongodb-uri.sh "$bin"
