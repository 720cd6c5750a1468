#!/usr/bin/env bash
# Stops the local stand-in started by stack/start.sh: only the PIDs it recorded (and the children dockerd
# started), never anything found by name. Then unmounts what dockerd left and removes $STACK_DIR.
#
#   stack/stop.sh           stop and remove
#   stack/stop.sh --check   exit 0 when every recorded process is alive, 1 otherwise; changes nothing
#   stack/stop.sh --keep    stop, but keep $STACK_DIR (logs) for a look
set -uo pipefail

STACK_DIR=${STACK_DIR:-/tmp/ghcr-image-action-stack}
PIDS=$STACK_DIR/pids
mode=${1:-stop}

# A PID is ours when it is alive and its command line names our folder (a recycled PID does not).
ours() {
  local pid=$1
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STACK_DIR"
}

children() { # every descendant of a PID, deepest last
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    children "$child"
  done
}

if [[ $mode == --check ]]; then
  shopt -s nullglob
  files=("$PIDS"/*.pid)
  ((${#files[@]})) || exit 1
  for file in "${files[@]}"; do
    ours "$(cat "$file")" || exit 1
  done
  exit 0
fi

[[ -d $STACK_DIR ]] || exit 0

stop_pid() { # pid: TERM, wait up to 20 s, then KILL
  local pid=$1
  ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 200); do
    ours "$pid" || return 0
    sleep 0.1
  done
  echo "stack: $pid did not stop on TERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null
}

shopt -s nullglob
for file in "$PIDS"/*.pid; do
  pid=$(cat "$file")
  descendants=()
  ours "$pid" && mapfile -t descendants < <(children "$pid")
  stop_pid "$pid"
  # dockerd stops its containerd and shims itself; whatever outlived it is stopped here, by PID.
  for child in "${descendants[@]}"; do
    stop_pid "$child"
  done
  rm -f "$file"
done

# dockerd leaves an nsfs mount (and overlays after a crash) under its exec and data roots.
grep -F " $STACK_DIR/" /proc/mounts | awk '{print $2}' | sort -r | while read -r mountpoint; do
  umount "$mountpoint" 2>/dev/null || umount -l "$mountpoint" 2>/dev/null || true
done

if [[ $mode == --keep ]]; then
  echo "stack: stopped; kept $STACK_DIR" >&2
else
  rm -rf "$STACK_DIR"
  echo "stack: stopped" >&2
fi
