#!/usr/bin/env bash
# The main job, end to end, on this machine: publish examples/hello to the local ghcr.io stand-in exactly as the
# GitHub runner runs the action (node dist/index.js with INPUT_*, GITHUB_* and RUNNER_* variables, a tag-push
# event payload, then the post step), pull the result back by digest and run it, and print the outputs and the
# job summary. Starts the stand-in when it is not running (installing its Debian packages as root) and stops
# what it started.
#
#   bash examples/demo.sh            (as root on Debian 12; needs only Node 20+ and this checkout)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-/tmp/ghcr-image-action-stack}
export STACK_DIR

started=false
if ! bash "$ROOT/stack/stop.sh" --check 2>/dev/null; then
  bash "$ROOT/stack/start.sh"
  started=true
fi
JOB=$(mktemp -d /tmp/demo-job.XXXXXX)
cleanup() {
  rm -rf "$JOB"
  if $started; then bash "$ROOT/stack/stop.sh"; fi
}
trap cleanup EXIT

# The stand-in's endpoints and identities (see README: "The local ghcr.io stand-in").
set -a
# shellcheck disable=SC1091
. "$STACK_DIR/stack.env"
set +a

# --- the runner's side: files for outputs, state and summary, the event that triggered the workflow ------------
mkdir -p "$JOB/temp" "$JOB/docker-config"
: >"$JOB/output"
: >"$JOB/state"
: >"$JOB/summary"
: >"$JOB/env"
: >"$JOB/path"
cat >"$JOB/event.json" <<JSON
{
  "ref": "refs/tags/v1.2.3",
  "before": "0000000000000000000000000000000000000000",
  "after": "4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f",
  "created": true,
  "base_ref": "refs/heads/main",
  "head_commit": {
    "id": "4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f",
    "message": "Release 1.2.3",
    "timestamp": "2026-11-20T10:15:30Z"
  },
  "repository": {
    "full_name": "$REPOSITORY",
    "name": "${REPOSITORY#*/}",
    "default_branch": "main",
    "description": "A greeting, in a container",
    "license": { "spdx_id": "MIT" },
    "owner": { "login": "$OWNER", "type": "Organization" }
  }
}
JSON

runner_env=(
  GITHUB_ACTIONS=true
  GITHUB_WORKSPACE="$ROOT"
  GITHUB_OUTPUT="$JOB/output"
  GITHUB_STATE="$JOB/state"
  GITHUB_STEP_SUMMARY="$JOB/summary"
  GITHUB_ENV="$JOB/env"
  GITHUB_PATH="$JOB/path"
  GITHUB_EVENT_NAME=push
  GITHUB_EVENT_PATH="$JOB/event.json"
  GITHUB_REF=refs/tags/v1.2.3
  GITHUB_REF_NAME=v1.2.3
  GITHUB_SHA=4f6d3a1c2b9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f
  GITHUB_REPOSITORY="$REPOSITORY"
  GITHUB_REPOSITORY_OWNER="$OWNER"
  GITHUB_ACTOR="$ACTOR"
  GITHUB_SERVER_URL="$GITHUB_API_URL" # the stand-in plays GitHub: its loopback registries count as GitHub's
  GITHUB_API_URL="$GITHUB_API_URL"
  RUNNER_OS=Linux
  RUNNER_ARCH=X64
  RUNNER_TEMP="$JOB/temp"
  DOCKER_HOST="$DOCKER_HOST"
  DOCKER_CONFIG="$JOB/docker-config"
)
inputs=(
  "INPUT_COMMAND=publish"
  "INPUT_REGISTRY=$REGISTRY_TOKEN"
  "INPUT_GITHUB-TOKEN=$TOKEN_GHS_WRITE"
  "INPUT_USERNAME=$ACTOR"
  "INPUT_CONTEXT=$ROOT/examples/hello"
  "INPUT_BUILD-ARGS=BASE_IMAGE=$BASE_IMAGE"
  "INPUT_BUILDER=auto"
  "INPUT_PUSH=auto"
  "INPUT_LOGOUT=true"
)

# Prints a file of the runner's file commands (name=value or name<<DELIM ... DELIM) as name=value lines.
file_commands() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const m = /^([^=<]+)<<(.+)$/.exec(lines[i]);
      if (!m) continue;
      const body = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i]);
      console.log(`${m[1]}=${body.join("\\n  ")}`);
    }' "$1"
}

echo "== main step: node dist/index.js (command: publish, event: push of tag v1.2.3)"
# The runner consumes ::add-mask:: commands (that is how secrets get masked); it never shows them.
env -i PATH="$PATH" HOME="$HOME" "${runner_env[@]}" "${inputs[@]}" node "$ROOT/dist/index.js" | sed '/^::add-mask::/d'

echo
echo "== outputs (\$GITHUB_OUTPUT)"
file_commands "$JOB/output"
ref=$(file_commands "$JOB/output" | sed -n 's/^ref=//p')

echo
echo "== a later step of the same job (still logged in): pull the image back by digest and run it"
export DOCKER_CONFIG="$JOB/docker-config"
docker rmi -f "$(file_commands "$JOB/output" | sed -n 's/^image-id=//p')" >/dev/null
docker pull "$ref"
docker run --rm --network none "$ref"

echo
echo "== post step: node dist/post/index.js (with the state the main step saved)"
state_env=()
while IFS= read -r line; do state_env+=("STATE_$line"); done < <(file_commands "$JOB/state")
env -i PATH="$PATH" HOME="$HOME" "${runner_env[@]}" "${inputs[@]}" "${state_env[@]}" node "$ROOT/dist/post/index.js"

echo
echo "== job summary (\$GITHUB_STEP_SUMMARY)"
cat "$JOB/summary"
echo
