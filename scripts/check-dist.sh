#!/usr/bin/env bash
# Fails when the committed dist/ is not what the sources bundle to: the action users run must be the code tested.
# Rebuilds dist/ in place (run it on a clean checkout, as CI does), then compares it with what git has.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm run -s package >/dev/null
if [[ -n $(git status --porcelain -- dist) ]]; then
  echo "dist/ is stale: it differs from a fresh 'npm run package':" >&2
  git status --short -- dist >&2
  git --no-pager diff --stat -- dist >&2
  echo "Fix: run 'npm run package' and commit dist/ together with the sources it was built from." >&2
  exit 1
fi
echo "dist/ matches a fresh bundle."
