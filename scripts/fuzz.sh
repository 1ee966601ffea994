#!/usr/bin/env bash
# Runs every fuzz target of the module, one after the other, for FUZZTIME
# each (default 5s), and stops at the first that fails. Go writes the input
# that failed to the package's testdata/fuzz/NAME/; keep it there once the
# bug is fixed, so that every `go test` runs it again.
#
# The targets are found with `go test -list`, so a new one runs without
# being named here. FUZZ narrows them to the names matching a regular
# expression (FUZZ=Handler scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
fuzztime=${FUZZTIME:-5s}

if ! list=$("$go" test -list '^Fuzz' ./... 2>&1); then
  printf '%s\n' "$list" >&2
  echo "fuzz: listing the fuzz targets failed" >&2
  exit 1
fi
# go test -list prints a package's targets, then "ok <package> <time>".
mapfile -t targets < <(printf '%s\n' "$list" | awk -v want="${FUZZ:-.}" '
  /^Fuzz/ { names[n++] = $1; next }
  /^ok/   { for (i = 0; i < n; i++) if (names[i] ~ want) print $2, names[i]; n = 0 }')
if (( ${#targets[@]} == 0 )); then
  echo "fuzz: no fuzz targets found${FUZZ:+ matching $FUZZ}" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$SECONDS
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "fuzz: $name in $pkg for $fuzztime"
  if "$go" test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log"; then
    continue
  fi
  # Go before 1.27 can end a time-limited run with a bare "context deadline
  # exceeded" when a worker is slow to stop (go.dev/issue/75804): nothing
  # failed and no input was written. A real finding always writes its input.
  if grep -qE '^[[:space:]]+context deadline exceeded$' "$log" &&
    ! grep -q 'Failing input written to\|failure while testing seed corpus entry' "$log"; then
    echo "fuzz: $name stopped late (go.dev/issue/75804), not a failure; its corpus again:"
    if "$go" test -count=1 -run "^$name\$" "$pkg"; then
      continue
    fi
  fi
  echo "fuzz: $name in $pkg failed; an input the fuzzer found to fail is in the package's testdata/fuzz/$name/" >&2
  exit 1
done
echo "fuzz: no failures (${#targets[@]} targets, $((SECONDS - start))s)"
