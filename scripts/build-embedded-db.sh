#!/usr/bin/env bash
# Builds the embedded database wrapper (FerretDB v1.24.2 with its PostgreSQL handler, which also starts and stops
# PostgreSQL) from the Go module proxy into .cache/ferretdb/. PostgreSQL itself comes with `npm ci`.
# Re-runs only when the binary is missing or its source changed.
# Usage: bash scripts/build-embedded-db.sh [--force | --unless-mongodb-uri]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--unless-mongodb-uri" && -n "${MONGODB_URI:-}" ]]; then
  exit 0 # the app will use that server, so nothing to build
fi
src=server/data/embedded-db/ferretdb
out=.cache/ferretdb
bin="$out/ferretdb-embedded"
stamp="$out/source.sha256"
want=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -d' ' -f1)
if [[ "${1:-}" != "--force" && -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "embedded database: up to date ($bin)"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "embedded database: Go is needed to build FerretDB (https://go.dev/dl/), or set MONGODB_URI to use your own server" >&2
  exit 1
fi
mkdir -p "$out"
echo "embedded database: building FerretDB v1.24.2 (first time only, about a minute)…"
(cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$OLDPWD/$bin.tmp" .)
mv "$bin.tmp" "$bin"
echo "$want" > "$stamp"
echo "embedded database: built $bin"
