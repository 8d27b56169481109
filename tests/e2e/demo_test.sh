#!/usr/bin/env bash
# `./hotorder demo` as CI runs it (a ctest entry, label e2e): the real script on free loopback
# ports, in a temporary state directory, with the build ctest has just made. The demo leaves its
# stack up, so this stops it afterwards whatever happened; on failure the logs are kept and named.
#
#   tests/e2e/demo_test.sh BUILD_DIR [demo options...]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR [demo options...]" >&2; exit 2; }
export HOTORDER_BUILD_DIR=$1
shift
export HOTORDER_SKIP_BUILD=1
HOTORDER_STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hotorder-demo-XXXXXX")
export HOTORDER_STATE_DIR

# Ports below Linux's ephemeral range (32768+), so no outgoing connection holds one by chance;
# each is checked free, and none is handed out twice.
# (Not a $(...) function: a subshell's record of ports handed out is lost when it ends, which
# once gave order-service and the Collector's zPages the same port.)
declare -A taken=()
for variable in GATEWAY_PORT ORDER_SERVICE_PORT INVENTORY_SERVICE_PORT POSTGRES_PORT \
    JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_OTLP_GRPC_PORT JAEGER_OTLP_HTTP_PORT \
    JAEGER_HEALTH_PORT COLLECTOR_OTLP_GRPC_PORT COLLECTOR_OTLP_HTTP_PORT COLLECTOR_HEALTH_PORT \
    COLLECTOR_ZPAGES_PORT COLLECTOR_METRICS_PORT; do
  while :; do
    port=$((20000 + RANDOM % 12000))
    [[ -z ${taken[$port]:-} ]] || continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    taken[$port]=1
    export "$variable=$port"
    break
  done
done

finish() {
  local status=$?
  "$ROOT/hotorder" down >/dev/null 2>&1 || echo "demo_test: ./hotorder down failed" >&2
  if ((status == 0)); then
    rm -rf "$HOTORDER_STATE_DIR"
  else
    echo "demo_test: failed (exit $status); state and logs kept in $HOTORDER_STATE_DIR" >&2
  fi
}
trap finish EXIT

"$ROOT/hotorder" demo "$@"
