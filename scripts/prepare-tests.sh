#!/usr/bin/env bash
# Makes sure what the tests need is on this machine: the embedded database and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-embedded-db.sh
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$chromium_bin" ]]; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "tests: installing Debian's chromium for the browser tests…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "tests: the browser tests need Chromium at $chromium_bin. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi
