#!/usr/bin/env bash
# The one owner of the compose stack (compose/docker-compose.yaml): `./hotorder compose` and the
# compose test run it.
#
#   scripts/compose.sh up [--offline]   build HotOrder's image, start the stack, wait until every
#                                       container is healthy (or started, where no probe can run)
#   scripts/compose.sh build [--offline] only build the images (what up does first)
#   scripts/compose.sh down             remove every container, network and volume of the project
#   scripts/compose.sh standins         build the offline stand-ins only (compose/offline/)
#   scripts/compose.sh run ARGS...      the compose CLI on this project, e.g. `run ps`, `run logs`
#
# --offline first builds, for each pinned image this machine cannot pull, a stand-in tagged with
# the pinned name (compose/offline/README.md), so the compose file runs unchanged. An image of
# that name that is not a stand-in (pulled from a registry) is left alone and used.
#
# Settings: compose/.env, overridden by the caller's environment (COMPOSE_PROJECT_NAME, ports,
# TRACE_PIPELINE, ...), exactly as compose itself reads them. COMPOSE_UP_TIMEOUT (seconds, 600)
# bounds the wait for health.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COMPOSE_DIR=$ROOT/compose
source "$ROOT/scripts/versions.sh"
die() { echo "compose: $*" >&2; exit 1; }
say() { echo "==> $*"; }
# Temporary folders and files, removed however the script ends.
TEMPORARY=()
trap 'rm -rf "${TEMPORARY[@]}"' EXIT

# compose/.env's value of $1 unless the environment sets it (compose's own precedence).
env_value() {
  local name=$1 line
  if [[ -n ${!name:-} ]]; then echo "${!name}"; return; fi
  line=$(grep -E "^$name=" "$COMPOSE_DIR/.env" | tail -1) || true
  echo "${line#*=}"
}

# `docker compose` (v2) when the client has it, else Debian's docker-compose 1.29.
compose_cli() {
  if docker compose version >/dev/null 2>&1; then
    docker compose --project-directory "$COMPOSE_DIR" -f "$COMPOSE_DIR/docker-compose.yaml" "$@"
  elif command -v docker-compose >/dev/null; then
    docker-compose --project-directory "$COMPOSE_DIR" -f "$COMPOSE_DIR/docker-compose.yaml" "$@"
  else
    die "neither 'docker compose' nor 'docker-compose' is installed (Debian: apt-get install docker-compose)"
  fi
}

# --- stand-ins ---------------------------------------------------------------------------------
STANDIN_LABEL=org.hotorder.standin

# The stand-in key of an image tag ("" when it has none: absent, or a real image).
standin_key() {
  docker image inspect --format "{{ index .Config.Labels \"$STANDIN_LABEL\" }}" "$1" 2>/dev/null \
    | sed 's/<no value>//' || true
}
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# needs_standin IMAGE KEY: true when IMAGE must be (re)built as the stand-in KEY.
needs_standin() {
  local image=$1 key=$2 current
  image_exists "$image" || return 0
  current=$(standin_key "$image")
  if [[ -z $current ]]; then
    say "$image is present and not a stand-in (pulled?): using it as it is"
    return 1
  fi
  [[ $current != "$key" ]]
}

# The Debian base, from Debian's packages: debootstrap's minbase, trimmed like the official slim
# image (no documentation, manuals or locales), with its apt sources, imported under the base's
# name. Rebuilt only when this recipe changes.
build_debian_standin() {
  local image key rootfs
  image=$(env_value DEBIAN_IMAGE)
  key=debian-$(cat "$COMPOSE_DIR/offline/debian-slim.sh" | sha256sum | cut -c1-16)
  needs_standin "$image" "$key" || return 0
  command -v debootstrap >/dev/null || die "debootstrap is missing: ./hotorder setup installs it"
  say "building the stand-in $image (debootstrap of bookworm; a few minutes, once)"
  rootfs=$(mktemp -d /tmp/hotorder-rootfs.XXXXXX)
  TEMPORARY+=("$rootfs")
  bash "$COMPOSE_DIR/offline/debian-slim.sh" "$rootfs" || die "debootstrap of bookworm failed"
  tar -C "$rootfs" -c . | docker import \
    --change "LABEL $STANDIN_LABEL=$key" --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$image" >/dev/null || die "docker import of the Debian stand-in failed"
}

# docker build, quiet unless it fails (the classic builder's deprecation notice included).
quiet_build() {
  local log
  log=$(mktemp /tmp/hotorder-docker-build.XXXXXX)
  TEMPORARY+=("$log")
  docker build "$@" >"$log" 2>&1 || { tail -30 "$log" >&2; return 1; }
}

# build_dockerfile_standin IMAGE DOCKERFILE CONTEXT_DIR KEY_INPUTS...: docker build with the key
# (a hash of the inputs and the base image's id) as label.
build_dockerfile_standin() {
  local image=$1 dockerfile=$2 context=$3 key
  shift 3
  key=$(cat "$dockerfile" "$@" | sha256sum | cut -c1-16)-$(docker image inspect --format '{{.Id}}' \
    "$(env_value DEBIAN_IMAGE)" | cut -c8-19)
  needs_standin "$image" "$key" || return 0
  say "building the stand-in $image"
  quiet_build -f "$dockerfile" --label "$STANDIN_LABEL=$key" \
    --build-arg "DEBIAN_IMAGE=$(env_value DEBIAN_IMAGE)" -t "$image" "$context" \
    || die "building the stand-in $image failed"
}

# The Collector and Jaeger: the project's own builds of the pinned versions, copied into images
# shaped like the official ones.
build_go_standin() {
  local image=$1 dockerfile=$2 binary=$3 context
  context=$(mktemp -d /tmp/hotorder-standin.XXXXXX)
  TEMPORARY+=("$context")
  cp "$binary" "$context/binary"
  build_dockerfile_standin "$image" "$dockerfile" "$context" "$binary"
}

cmd_standins() {
  local otelcol jaeger
  build_debian_standin
  otelcol=$("$ROOT/scripts/build-otelcol.sh") || die "could not build the Collector"
  jaeger=$("$ROOT/scripts/build-jaeger.sh") || die "could not build Jaeger"
  build_go_standin "$(env_value COLLECTOR_IMAGE)" "$COMPOSE_DIR/offline/otelcol.Dockerfile" "$otelcol"
  build_go_standin "$(env_value JAEGER_IMAGE)" "$COMPOSE_DIR/offline/jaeger.Dockerfile" "$jaeger"
  build_dockerfile_standin "$(env_value POSTGRES_IMAGE)" "$COMPOSE_DIR/offline/postgres.Dockerfile" \
    "$COMPOSE_DIR/offline" "$COMPOSE_DIR/offline/postgres-entrypoint.sh"
}

# --- up and down -------------------------------------------------------------------------------
# Polls every container of the project until each is healthy (or running, without a probe) and
# the one-shot migrate has exited 0; fails naming the container that is not, with its log tail.
wait_healthy() {
  local deadline=$((SECONDS + ${COMPOSE_UP_TIMEOUT:-600})) ids id state pending
  while true; do
    ids=$(compose_cli ps -q) || die "compose ps failed"
    pending=""
    for id in $ids; do
      state=$(docker inspect --format \
        '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$id")
      read -r name status health code <<<"$state"
      case "$status/$health" in
        running/healthy | running/none) ;;
        exited/*) [[ $name == *migrate* && $code == 0 ]] || die "${name#/} exited with code $code: $(docker logs --tail 20 "$id" 2>&1)" ;;
        */unhealthy) die "${name#/} is unhealthy: $(docker logs --tail 20 "$id" 2>&1)" ;;
        *) pending+=" ${name#/}($status/$health)" ;;
      esac
    done
    [[ -z $pending ]] && return 0
    ((SECONDS < deadline)) || die "not healthy after ${COMPOSE_UP_TIMEOUT:-600} s:$pending"
    sleep 1
  done
}

# Every image the stack runs: with --offline the stand-ins first, then HotOrder's own.
cmd_build() {
  local offline=0
  while (($#)); do
    case $1 in
      --offline) offline=1 ;;
      *) die "unknown option '$1' (usage: compose.sh up|build [--offline])" ;;
    esac
    shift
  done
  command -v docker >/dev/null || die "docker is not installed"
  docker info >/dev/null 2>&1 || die "the Docker Engine is not reachable (is it running? may this user use it?)"
  ((offline)) && cmd_standins
  say "building HotOrder's image $(env_value HOTORDER_IMAGE) (compiles the C++ the first time)"
  # One service builds it; the others name the same image.
  compose_cli build api-gateway || die "building HotOrder's image failed"
}

cmd_up() {
  local started
  cmd_build "$@"
  started=$SECONDS
  say "starting the stack (project ${COMPOSE_PROJECT_NAME:-$(env_value COMPOSE_PROJECT_NAME)})"
  compose_cli up -d || die "compose up failed"
  wait_healthy
  say "healthy after $((SECONDS - started)) s"
  local bind
  bind=$(env_value HOTORDER_BIND)
  echo "  HotOrder  http://$bind:$(env_value GATEWAY_PORT)/api/orders"
  echo "  Jaeger    http://$bind:$(env_value JAEGER_QUERY_PORT)/"
}

cmd_down() {
  compose_cli --profile load down -v --remove-orphans
}

main() {
  (($#)) || die "usage: compose.sh up|build [--offline] | down | standins | run ARGS..."
  local command=$1
  shift
  case $command in
    up) cmd_up "$@" ;;
    build) cmd_build "$@" ;;
    down) cmd_down ;;
    standins) cmd_standins ;;
    run) compose_cli "$@" ;;
    *) die "unknown command '$command' (up, build, down, standins, run)" ;;
  esac
}
main "$@"
