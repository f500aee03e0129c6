#!/usr/bin/env bash
# Builds FerretDB v1 (MongoDB wire protocol over an embedded SQLite backend) for the tests.
# `go install …/cmd/ferretdb@v1.24.2` alone builds a binary that panics at start: the module lacks the
# generated build/version/version.txt (FerretDB issue #2982). So: download the module with `go mod
# download`, copy it somewhere writable, add version.txt, and build from there.
set -euo pipefail
version=v1.24.2
dest="${1:-$HOME/.cache/webrequests/ferretdb-$version}"
if [[ -x "$dest" ]]; then echo "$dest"; exit 0; fi
command -v go >/dev/null || { echo "go is required to build FerretDB" >&2; exit 1; }
src=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[[ -d "$src" ]] || { echo "could not download FerretDB $version" >&2; exit 1; }
work=$(mktemp -d)
cp -r "$src/." "$work/"
chmod -R u+w "$work"
echo "$version" > "$work/build/version/version.txt"
mkdir -p "$(dirname "$dest")"
(cd "$work" && go build -o "$dest" ./cmd/ferretdb) >&2
rm -rf "$work"
echo "$dest"
