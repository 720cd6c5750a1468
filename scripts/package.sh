#!/usr/bin/env bash
# Bundles the main and post entry points into dist/ with ncc, both at once (each takes tens of seconds), and
# fails when either fails, showing that one's output. Source maps are written (dist/*.map, for reading a stack
# trace by hand) but never registered: ncc's sourcemap-register parses the whole map (~130 ms, ~50 MiB) the first
# time any stack is formatted, which happened on every run. Dynamic imports become chunks loaded on demand, and
# 'undici' is scripts/undici-on-demand.cjs in the bundle (tsconfig.json paths): undici itself is such a chunk.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
# ncc does not remove what an earlier build left: chunks of a former split and the old map register go first.
rm -f dist/*.index.js dist/*.index.js.map dist/sourcemap-register.cjs dist/post/*.index.js \
  dist/post/*.index.js.map dist/post/sourcemap-register.cjs
ncc build src/index.ts -o dist --source-map --no-source-map-register --license licenses.txt >"$logs/main" 2>&1 &
main=$!
ncc build src/post-entry.ts -o dist/post --source-map --no-source-map-register --license licenses.txt >"$logs/post" 2>&1 &
post=$!
status=0
wait "$main" || { status=1; cat "$logs/main" >&2; }
wait "$post" || { status=1; cat "$logs/post" >&2; }
((status == 0)) && tail -n 1 "$logs/main" "$logs/post"
exit "$status"
