#!/usr/bin/env bash
# Bundles the main and post entry points into dist/ with ncc, both at once (each takes tens of seconds), and
# fails when either fails, showing that one's output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
ncc build src/index.ts -o dist --source-map --license licenses.txt >"$logs/main" 2>&1 &
main=$!
ncc build src/post-entry.ts -o dist/post --source-map --license licenses.txt >"$logs/post" 2>&1 &
post=$!
status=0
wait "$main" || { status=1; cat "$logs/main" >&2; }
wait "$post" || { status=1; cat "$logs/post" >&2; }
((status == 0)) && tail -n 1 "$logs/main" "$logs/post"
exit "$status"
