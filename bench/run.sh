#!/usr/bin/env bash
# The side-by-side benchmark (npm run bench): starts the local stand-in when it is not running (its own
# STACK_DIR by default, so a test stack is never touched), runs bench/suite.mjs against dist/ (build it first:
# npm run package), prints the table, and stops what it started. Needs only 127.0.0.1 and what the README's
# setup installs (docker, skopeo, the distribution registry: stack/start.sh checks).
#
#   bash bench/run.sh              the suite (BENCH_PAIRS=5, BENCH_RTT_MS=20, BENCH_BIG_MIB=512, BENCH_JSON=file,
#                                  BENCH_CASES=word,... to run only the cases whose name has one of the words)
#   bash bench/run.sh blob [MiB]   one process moving one blob (bench/blob-memory.ts), default 512 MiB
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export STACK_DIR=${STACK_DIR:-/tmp/ghcr-image-action-bench}
export STACK_PORT_BASE=${STACK_PORT_BASE:-5300}
[[ -f dist/index.js ]] || { echo "bench: no dist/index.js; run npm run package first" >&2; exit 1; }
started=false
if ! bash stack/stop.sh --check 2>/dev/null; then
  bash stack/start.sh
  started=true
fi
work=$(mktemp -d /tmp/ghcr-bench.XXXXXX)
cleanup() {
  rm -rf "$work"
  if $started; then bash stack/stop.sh; fi
}
trap cleanup EXIT

if [[ ${1:-} == blob ]]; then
  mib=${2:-512}
  registry=$(grep '^REGISTRY_ANONYMOUS=' "$STACK_DIR/stack.env" | cut -d= -f2)
  npx ncc build bench/blob-memory.ts -o "$work/bundle" -q >/dev/null
  head -c "$((mib * 1024 * 1024))" /dev/urandom >"$work/blob.bin"
  node "$work/bundle/index.js" "$work/blob.bin" "$registry" "$registry"
  exit 0
fi
echo "bench: $(date -u +%FT%TZ); $(nproc) cores, $(free -m | awk '/^Mem:/{print $2}') MiB; load average $(cut -d' ' -f1-3 /proc/loadavg); node $(node -v); $(skopeo --version); docker $(docker version --format '{{.Client.Version}}' 2>/dev/null || true)" >&2
node bench/suite.mjs "$STACK_DIR" "$work"
echo "bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
