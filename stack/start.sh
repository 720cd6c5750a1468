#!/usr/bin/env bash
# Starts the local ghcr.io stand-in on loopback, for the tests and the demo:
#   - dockerd with no bridge network, its own data root, exec root and socket under $STACK_DIR;
#   - three distribution registries: token auth (like ghcr.io), htpasswd basic auth, anonymous;
#   - the GitHub side (stack/standin.mjs): the registry's token service, GET /user of the REST API, and a
#     front to the token registry that refuses like ghcr.io (403 denied: ...);
#   - a busybox base image made offline, in dockerd and in the anonymous registry.
# Writes $STACK_DIR/stack.env (endpoints and identities) and records every PID it starts under $STACK_DIR/pids.
# stack/stop.sh stops exactly those PIDs. Running it again while the stack is up does nothing.
#
# Environment: STACK_DIR (default /tmp/ghcr-image-action-stack), STACK_PORT_BASE (default 5100; the stack uses
# the six ports from there). Exit codes: 0 up, 1 failed to start, 3 a prerequisite is missing (not root, no apt).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STACK_DIR=${STACK_DIR:-/tmp/ghcr-image-action-stack}
PORT_BASE=${STACK_PORT_BASE:-5100}
ENV_FILE=$STACK_DIR/stack.env
PIDS=$STACK_DIR/pids
LOGS=$STACK_DIR/logs
started_at=$(date +%s%N)

say() { printf 'stack: %s\n' "$*" >&2; }
die() { say "$1"; exit "${2:-1}"; }

if [[ -f $ENV_FILE ]] && bash "$HERE/stop.sh" --check >/dev/null 2>&1; then
  say "already running ($ENV_FILE)"
  exit 0
fi
if [[ -d $STACK_DIR ]]; then
  say "cleaning up a previous, incomplete stack in $STACK_DIR"
  bash "$HERE/stop.sh" >&2 || true
fi

# --- 1. prerequisites -------------------------------------------------------------------------------------
# What is needed, by command (a runner may have docker from other packages than Debian's docker.io).
declare -A NEEDS=(
  [dockerd]=docker.io [docker]=docker.io [docker-registry]=docker-registry [skopeo]=skopeo [buildah]=buildah
  [htpasswd]=apache2-utils [openssl]=openssl [curl]=curl [tinyproxy]=tinyproxy-bin [jq]=jq
)
missing=()
for command in "${!NEEDS[@]}"; do
  command -v "$command" >/dev/null || missing+=("${NEEDS[$command]}")
done
# The base image needs a statically linked busybox (the dynamic one cannot run inside an empty rootfs).
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || missing+=(busybox-static)
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | grep -v '^$')
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    die "missing Debian packages: ${missing[*]}; run as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" 3
  fi
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
[[ $(id -u) -eq 0 ]] || die "dockerd and buildah's storage need root here; run the stack as root" 3

P_TOKEN_REGISTRY=$PORT_BASE
P_BASIC_REGISTRY=$((PORT_BASE + 1))
P_ANON_REGISTRY=$((PORT_BASE + 2))
P_TOKEN_SERVICE=$((PORT_BASE + 3))
P_API=$((PORT_BASE + 4))
P_GHCR_FRONT=$((PORT_BASE + 5))
for port in $P_TOKEN_REGISTRY $P_BASIC_REGISTRY $P_ANON_REGISTRY $P_TOKEN_SERVICE $P_API $P_GHCR_FRONT; do
  if (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port 127.0.0.1:$port is taken; set STACK_PORT_BASE to a free range of six ports"
  fi
done

mkdir -p "$PIDS" "$LOGS" "$STACK_DIR/auth" "$STACK_DIR/registries"

# --- 2. secrets: signing key, htpasswd user, tokens modelled on GitHub credentials ------------------------
openssl ecparam -name prime256v1 -genkey -noout -out "$STACK_DIR/auth/key.pem" 2>/dev/null
openssl req -x509 -new -key "$STACK_DIR/auth/key.pem" -out "$STACK_DIR/auth/cert.pem" -days 30 \
  -subj "/CN=local token signer" 2>/dev/null
rand() { openssl rand -hex "$1"; }
HTPASSWD_USER=stand-in
HTPASSWD_PASSWORD=basic-$(rand 12)
htpasswd -Bbn "$HTPASSWD_USER" "$HTPASSWD_PASSWORD" >"$STACK_DIR/auth/htpasswd" 2>/dev/null

OWNER=octo-org
REPOSITORY=$OWNER/hello-world
ACTOR=octocat
TOKEN_GHS_WRITE=ghs_$(rand 18)
TOKEN_GHS_READ=ghs_$(rand 18)
TOKEN_PAT_WRITE=ghp_$(rand 18)
TOKEN_PAT_REPO=ghp_$(rand 18)
TOKEN_PAT_READ=ghp_$(rand 18)
TOKEN_PAT_DELETE=ghp_$(rand 18)
TOKEN_FINE_GRAINED=github_pat_$(rand 11)_$(rand 29)
TOKEN_WRONG=ghp_$(rand 18)

# Who may do what. The write GITHUB_TOKEN may push to its owner's packages, except one that is connected to
# another repository (as on ghcr.io, where such a package refuses this repository's token). `delete` is also the
# right to delete package versions through the Packages API: the write GITHUB_TOKEN has the Admin role on its
# owner's packages (those its repository published), the read one has not; of the classic PATs only pat-delete
# has delete:packages.
cat >"$STACK_DIR/standin.json" <<JSON
{
  "tokenPort": $P_TOKEN_SERVICE,
  "apiPort": $P_API,
  "ghcrFrontPort": $P_GHCR_FRONT,
  "tokenRegistryPort": $P_TOKEN_REGISTRY,
  "keyFile": "$STACK_DIR/auth/key.pem",
  "issuer": "ghcr-standin-issuer",
  "service": "ghcr-standin",
  "tokenLifetimeSeconds": 300,
  "tokenLog": "$LOGS/token-requests.jsonl",
  "docsUrl": "https://docs.github.com",
  "serverUrl": "http://127.0.0.1:$P_API",
  "organizations": ["$OWNER"],
  "tokenRegistryRoot": "$STACK_DIR/registries/token/data",
  "packagesState": "$STACK_DIR/packages-state.json",
  "publicRepositories": ["$OWNER/public-*", "library/*"],
  "identities": [
    { "name": "github-token-write", "kind": "installation", "token": "$TOKEN_GHS_WRITE",
      "grants": [ { "repositories": "$OWNER/unlinked*", "actions": ["pull"] },
                  { "repositories": "$OWNER/*-unlinked-buildcache", "actions": ["pull"] },
                  { "repositories": "$OWNER/*", "actions": ["pull", "push", "delete"] } ] },
    { "name": "github-token-read", "kind": "installation", "token": "$TOKEN_GHS_READ",
      "grants": [ { "repositories": "$OWNER/*", "actions": ["pull"] } ] },
    { "name": "pat-write", "kind": "classic-pat", "login": "$ACTOR", "id": 583231, "token": "$TOKEN_PAT_WRITE",
      "scopes": ["read:packages", "write:packages"],
      "grants": [ { "repositories": "*", "actions": ["pull", "push"] } ] },
    { "name": "pat-repo", "kind": "classic-pat", "login": "$ACTOR", "id": 583231, "token": "$TOKEN_PAT_REPO",
      "scopes": ["read:packages", "repo", "write:packages"],
      "grants": [ { "repositories": "*", "actions": ["pull", "push"] } ] },
    { "name": "pat-delete", "kind": "classic-pat", "login": "$ACTOR", "id": 583231, "token": "$TOKEN_PAT_DELETE",
      "scopes": ["delete:packages", "read:packages", "write:packages"],
      "grants": [ { "repositories": "*", "actions": ["pull", "push", "delete"] } ] },
    { "name": "pat-read", "kind": "classic-pat", "login": "$ACTOR", "id": 583231, "token": "$TOKEN_PAT_READ",
      "scopes": ["read:packages"],
      "grants": [ { "repositories": "*", "actions": ["pull"] } ] },
    { "name": "fine-grained-pat", "kind": "fine-grained-pat", "login": "$ACTOR", "id": 583231,
      "token": "$TOKEN_FINE_GRAINED",
      "grants": [ { "repositories": "*", "actions": ["pull", "push"] } ] }
  ]
}
JSON

# --- 3. registries ----------------------------------------------------------------------------------------
registry_config() { # name port auth-yaml
  local dir=$STACK_DIR/registries/$1
  mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
validation:
  manifests:
    urls:
      allow: ['^https?://']
$3
YAML
}
registry_config token "$P_TOKEN_REGISTRY" "auth:
  token:
    realm: http://127.0.0.1:$P_TOKEN_SERVICE/token
    service: ghcr-standin
    issuer: ghcr-standin-issuer
    rootcertbundle: $STACK_DIR/auth/cert.pem"
registry_config basic "$P_BASIC_REGISTRY" "auth:
  htpasswd:
    realm: stand-in basic realm
    path: $STACK_DIR/auth/htpasswd"
registry_config anonymous "$P_ANON_REGISTRY" ""

launch() { # name command... ; records the PID, logs to $LOGS/name.log
  local name=$1
  shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}
for name in token basic anonymous; do
  launch "registry-$name" docker-registry serve "$STACK_DIR/registries/$name/config.yml"
done
launch standin node "$HERE/standin.mjs" "$STACK_DIR/standin.json"

# --- 4. dockerd, with no bridge and no iptables rules -------------------------------------------------------
DOCKER_SOCK=$STACK_DIR/docker.sock
launch dockerd dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
  --data-root "$STACK_DIR/docker" --exec-root "$STACK_DIR/docker-exec" --pidfile "$STACK_DIR/dockerd.pid" \
  -H "unix://$DOCKER_SOCK"
export DOCKER_HOST=unix://$DOCKER_SOCK DOCKER_CONFIG=$STACK_DIR/docker-config

wait_for() { # what command...
  local what=$1
  shift
  for _ in $(seq 1 200); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  say "$what did not answer; its log:"
  tail -n 20 "$LOGS/$what.log" >&2 || true
  bash "$HERE/stop.sh" >&2 || true
  exit 1
}
http_answers() { curl -s -o /dev/null --max-time 1 "$1"; }
wait_for registry-token http_answers "http://127.0.0.1:$P_TOKEN_REGISTRY/v2/"
wait_for registry-basic http_answers "http://127.0.0.1:$P_BASIC_REGISTRY/v2/"
wait_for registry-anonymous http_answers "http://127.0.0.1:$P_ANON_REGISTRY/v2/"
wait_for standin http_answers "http://127.0.0.1:$P_API/user"
wait_for standin http_answers "http://127.0.0.1:$P_GHCR_FRONT/v2/"
wait_for dockerd docker version
services_ready_at=$(date +%s%N)

# --- 5. a base image with a shell, made offline -------------------------------------------------------------
ROOTFS=$STACK_DIR/busybox-rootfs
mkdir -p "$ROOTFS/bin" "$ROOTFS/sbin" "$ROOTFS/usr/bin" "$ROOTFS/usr/sbin" "$ROOTFS/tmp" "$ROOTFS/etc"
cp /bin/busybox "$ROOTFS/bin/busybox"
while read -r applet; do
  [[ $applet == bin/busybox || -e $ROOTFS/$applet ]] && continue
  ln -s /bin/busybox "$ROOTFS/$applet"
done < <(/bin/busybox --list-full)
echo 'root:x:0:0:root:/root:/bin/sh' >"$ROOTFS/etc/passwd"
echo 'root:x:0:' >"$ROOTFS/etc/group"
BASE_IMAGE=127.0.0.1:$P_ANON_REGISTRY/library/busybox:latest
tar -C "$ROOTFS" --numeric-owner --owner=0 --group=0 -c . |
  docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin:/usr/bin:/sbin:/usr/sbin' - "$BASE_IMAGE" >/dev/null
docker push -q "$BASE_IMAGE" >/dev/null

# --- 6. buildah's configuration: storage under $STACK_DIR (vfs), the stack's registries spoken to over http,
# and chroot isolation (RUN gets the host network; no bridge is ever created).
mkdir -p "$STACK_DIR/buildah"
cat >"$STACK_DIR/buildah/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$STACK_DIR/buildah/root"
runroot = "$STACK_DIR/buildah/run"
CONF
cat >"$STACK_DIR/buildah/registries.conf" <<CONF
unqualified-search-registries = []
[[registry]]
location = "127.0.0.1:$P_TOKEN_REGISTRY"
insecure = true
[[registry]]
location = "127.0.0.1:$P_BASIC_REGISTRY"
insecure = true
[[registry]]
location = "127.0.0.1:$P_ANON_REGISTRY"
insecure = true
CONF

# --- 7. the env file ----------------------------------------------------------------------------------------
cat >"$ENV_FILE.tmp" <<ENV
STACK_DIR=$STACK_DIR
DOCKER_HOST=unix://$DOCKER_SOCK
STACK_DOCKER_DATA=$STACK_DIR/docker
BUILDAH_ROOT=$STACK_DIR/buildah/root
BUILDAH_RUNROOT=$STACK_DIR/buildah/run
CONTAINERS_STORAGE_CONF=$STACK_DIR/buildah/storage.conf
CONTAINERS_REGISTRIES_CONF=$STACK_DIR/buildah/registries.conf
BUILDAH_ISOLATION=chroot
REGISTRY_TOKEN=127.0.0.1:$P_TOKEN_REGISTRY
REGISTRY_GHCR=127.0.0.1:$P_GHCR_FRONT
REGISTRY_BASIC=127.0.0.1:$P_BASIC_REGISTRY
REGISTRY_ANONYMOUS=127.0.0.1:$P_ANON_REGISTRY
TOKEN_REALM=http://127.0.0.1:$P_TOKEN_SERVICE/token
TOKEN_SERVICE=ghcr-standin
TOKEN_LOG=$LOGS/token-requests.jsonl
REGISTRY_TOKEN_LOG=$LOGS/registry-token.log
REGISTRY_BASIC_LOG=$LOGS/registry-basic.log
REGISTRY_ANONYMOUS_LOG=$LOGS/registry-anonymous.log
GITHUB_API_URL=http://127.0.0.1:$P_API
BASIC_USER=$HTPASSWD_USER
BASIC_PASSWORD=$HTPASSWD_PASSWORD
OWNER=$OWNER
REPOSITORY=$REPOSITORY
ACTOR=$ACTOR
TOKEN_GHS_WRITE=$TOKEN_GHS_WRITE
TOKEN_GHS_READ=$TOKEN_GHS_READ
TOKEN_PAT_WRITE=$TOKEN_PAT_WRITE
TOKEN_PAT_REPO=$TOKEN_PAT_REPO
TOKEN_PAT_READ=$TOKEN_PAT_READ
TOKEN_PAT_DELETE=$TOKEN_PAT_DELETE
TOKEN_FINE_GRAINED=$TOKEN_FINE_GRAINED
TOKEN_WRONG=$TOKEN_WRONG
BASE_IMAGE=$BASE_IMAGE
ENV
mv "$ENV_FILE.tmp" "$ENV_FILE"

ms() { echo $((($2 - $1) / 1000000)); }
done_at=$(date +%s%N)
say "up in $(ms "$started_at" "$done_at") ms (services $(ms "$started_at" "$services_ready_at") ms, base image $(ms "$services_ready_at" "$done_at") ms); env: $ENV_FILE"
