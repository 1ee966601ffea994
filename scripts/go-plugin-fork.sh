#!/bin/sh
# go-plugin-fork.sh writes third_party/go-plugin: the release of
# github.com/hashicorp/go-plugin that go.mod requires, without its test
# helpers (testing.go), which import the standard library's testing package
# into every program that uses go-plugin. go.mod replaces the module with
# that directory. Nothing else differs from the release.
#
#   scripts/go-plugin-fork.sh          rewrite the directory
#   scripts/go-plugin-fork.sh --check  fail if the directory differs
set -eu

GO=${GO:-go}
module=github.com/hashicorp/go-plugin
dest=third_party/go-plugin
version=$($GO list -m -f "{{.Version}}" "$module")

src=$(GOFLAGS=-mod=mod $GO mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
[ -d "$src" ] || { echo "go-plugin-fork: cannot download $module@$version" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/go-plugin
mkdir -p "$out"
(
	cd "$src"
	# The packages a program links, their licence and module files; not the
	# tests, examples, docs or protocol sources.
	find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum -o -name LICENSE \) \
		! -name '*_test.go' ! -name testing.go ! -path './examples/*' ! -path './test/*' ! -path './docs/*' |
		while read -r f; do
			mkdir -p "$out/$(dirname "$f")"
			cp "$f" "$out/$f"
		done
)
chmod -R u+w "$out"
cat >"$out/FORK.md" <<EOF
# go-plugin, without its test helpers

This is $module $version as its module proxy serves it, with
\`testing.go\` (TestConn, TestPluginRPCConn, TestPluginGRPCConn and friends)
left out, and with its tests, examples and docs left out. Upstream's
testing.go imports the standard library's \`testing\` package into every
program that links go-plugin; countyhub's binaries must not link test code.

The countyhub module replaces $module with this directory
(see go.mod). Do not edit it by hand: \`scripts/go-plugin-fork.sh\` writes it
from the version go.mod requires, and \`make lint\` fails when it differs.
To take a new release, change the version in go.mod's require, run the
script and commit the directory.

Licensed under the Mozilla Public License 2.0, as upstream (LICENSE).
EOF

if [ "${1:-}" = --check ]; then
	if ! diff -r "$out" "$dest" >/dev/null 2>&1; then
		diff -r "$out" "$dest" | head -20 >&2 || true
		echo "go-plugin-fork: $dest is not $module@$version without testing.go: run scripts/go-plugin-fork.sh" >&2
		exit 1
	fi
	exit 0
fi
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -R "$out" "$dest"
echo "wrote $dest from $module@$version"
