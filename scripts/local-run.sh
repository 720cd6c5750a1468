#!/usr/bin/env bash
# Runs the bundled action on this machine the way the GitHub runner does, from an env file of KEY=VALUE lines
# (.env.example shows one): the main step (node dist/index.js), then the post step (node dist/post/index.js) with
# the state the main step saved, then prints the outputs and the job summary. Exits with the main step's code.
#
#   cp .env.example .env    # then fill it in
#   bash scripts/local-run.sh .env
#
# The env file: one KEY=VALUE a line; '#' lines and blank lines are skipped; the rest of the line after the first
# '=' is the value, literally (one pair of surrounding quotes is removed; no multi-line values, no expansion).
# Names may hold hyphens, as the runner's do (INPUT_GITHUB-TOKEN), which is why the file is not sourced by a shell.
# The run sees this shell's environment without its INPUT_*, STATE_*, GITHUB_* and RUNNER_* variables, plus the
# file's. The runner files ($GITHUB_OUTPUT, $GITHUB_STATE, $GITHUB_STEP_SUMMARY, $GITHUB_ENV, $GITHUB_PATH) and
# RUNNER_TEMP are made fresh in a new folder whose path is printed, unless the file names them (those files are
# emptied first). Needs bash 4.4 or later and Node; run `npm run package` first.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if (($# != 1)) || [[ ! -f $1 ]]; then
  echo "usage: bash scripts/local-run.sh ENV_FILE  (e.g. cp .env.example .env, fill it in, then pass .env)" >&2
  exit 2
fi
for bundle in dist/index.js dist/post/index.js; do
  if [[ ! -f $ROOT/$bundle ]]; then
    echo "$ROOT/$bundle is missing: run 'npm run package' first." >&2
    exit 2
  fi
done

# --- the file's variables, in order (a later line wins, as in the runner's env) ------------------------------------
declare -A given=()
file_vars=()
number=0
while IFS= read -r line || [[ -n $line ]]; do
  number=$((number + 1))
  line=${line%$'\r'}
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  if [[ ! $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$ ]]; then
    echo "$1 line $number is not KEY=VALUE: '$line'. Fix: write NAME=value (no spaces around '='), or start it with #." >&2
    exit 2
  fi
  key=${BASH_REMATCH[2]}
  value=${BASH_REMATCH[3]}
  if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
  given[$key]=$value
  file_vars+=("$key=$value")
done <"$1"

# --- the runner's side: fresh files for outputs, state and summary, unless the file names its own ----------------
JOB=$(mktemp -d "${TMPDIR:-/tmp}/local-run.XXXXXX")
declare -A runner=(
  [GITHUB_OUTPUT]=$JOB/output
  [GITHUB_STATE]=$JOB/state
  [GITHUB_STEP_SUMMARY]=$JOB/summary
  [GITHUB_ENV]=$JOB/env
  [GITHUB_PATH]=$JOB/path
)
runner_vars=("RUNNER_TEMP=$JOB/temp")
mkdir -p "$JOB/temp"
for name in "${!runner[@]}"; do
  file=${given[$name]:-${runner[$name]}}
  mkdir -p "$(dirname "$file")"
  : >"$file"
  runner[$name]=$file
  runner_vars+=("$name=$file")
done

# The caller's own runner variables (when this runs inside a workflow) must not reach the local run.
clear=()
while IFS= read -r name; do
  if [[ $name =~ ^(INPUT_|STATE_|GITHUB_|RUNNER_) ]]; then clear+=(-u "$name"); fi
done < <(compgen -e)

# Prints a file of the runner's file commands (name=value, or name<<DELIM ... DELIM) as name=value lines; the
# further lines of a multi-line value are indented by two spaces.
file_commands() {
  local line name='' delim='' value='' first
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ -n $delim ]]; then
      if [[ $line == "$delim" ]]; then
        printf '%s=%s\n' "$name" "$value"
        delim=''
      elif $first; then
        value=$line
        first=false
      else
        value+=$'\n  '$line
      fi
    elif [[ $line =~ ^([^=\<]+)\<\<(.+)$ ]]; then
      name=${BASH_REMATCH[1]} delim=${BASH_REMATCH[2]} value='' first=true
    elif [[ $line == *=* ]]; then
      printf '%s\n' "$line"
    fi
  done <"$1"
}

# Runs one step; the runner consumes ::add-mask:: commands (that is how secrets get masked), so they are not shown.
step() {
  env "${clear[@]}" "${runner_vars[@]}" "${file_vars[@]}" "$@" | sed '/^::add-mask::/d'
  return "${PIPESTATUS[0]}"
}

echo "== runner files in $JOB"
echo "== main step: node dist/index.js"
code=0
step node "$ROOT/dist/index.js" || code=$?

echo
echo "== post step: node dist/post/index.js"
state_vars=()
while IFS= read -r line; do state_vars+=("STATE_$line"); done < <(file_commands "${runner[GITHUB_STATE]}")
step "${state_vars[@]}" node "$ROOT/dist/post/index.js" || true

echo
echo "== outputs (${runner[GITHUB_OUTPUT]})"
file_commands "${runner[GITHUB_OUTPUT]}"
echo
echo "== job summary (${runner[GITHUB_STEP_SUMMARY]})"
cat "${runner[GITHUB_STEP_SUMMARY]}"
echo
echo "== main step exit code: $code"
exit "$code"
