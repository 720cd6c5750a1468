#!/usr/bin/env bash
# Runs the benchmarks against the local stand-in (started here when it is not running) and prints their
# JSON lines. Usage: bash bench/run.sh [BLOB_MIB]   (default 512)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mib=${1:-512}
STACK_DIR=${STACK_DIR:-/tmp/ghcr-image-action-stack}
started=false
if ! bash stack/stop.sh --check 2>/dev/null; then
  bash stack/start.sh
  started=true
fi
work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
  if $started; then bash stack/stop.sh; fi
}
trap cleanup EXIT
registry=$(grep '^REGISTRY_ANONYMOUS=' "$STACK_DIR/stack.env" | cut -d= -f2)
npx ncc build bench/blob-memory.ts -o "$work/bundle" -q >/dev/null
head -c "$((mib * 1024 * 1024))" /dev/urandom >"$work/blob.bin"
node "$work/bundle/index.js" "$work/blob.bin" "$registry" "$registry"
