#!/usr/bin/env bash
# The cold-path guard (a stage of ./hotorder test): builds the Collector and Jaeger the way a new
# machine does, into empty folders, and checks that what comes out works with HotOrder's own
# configuration. A cache folder left by an earlier run cannot make this pass: only Go's module
# and build caches are shared with the cached builds (which is also why it takes a minute, not
# ten; and why it cannot notice a module the proxy has stopped serving once it is in the module
# cache).
#
# Steps, each named when it fails:
#   1. scripts/build-otelcol.sh --out EMPTY   the Collector Builder from nothing
#   2. scripts/build-jaeger.sh --out EMPTY    Jaeger from a new module
#   3. both binaries start and list their components; the components the configs use are there
#   4. `validate` accepts collector-config/otelcol-tail-sampling.yaml, otelcol-all.yaml and jaeger.yaml
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
config_dir=$(cd "$here/../collector-config" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/hotorder-cold-path-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "cold-path guard: step '$1' failed${2:+ ($2)}" >&2; exit 1; }
say() { echo "==> cold-path guard: $*"; }

say "building the Collector into an empty folder"
otelcol=$("$here/build-otelcol.sh" --out "$work/otelcol") \
  || fail "build the Collector from nothing (scripts/build-otelcol.sh)"
say "building Jaeger into an empty folder"
jaeger=$("$here/build-jaeger.sh" --out "$work/jaeger") \
  || fail "build Jaeger from nothing (scripts/build-jaeger.sh)"

# check_components NAME BINARY COMPONENT...: BINARY lists every COMPONENT (by its type name).
check_components() {
  local name=$1 binary=$2 listing=$work/$1-components.txt component
  shift 2
  "$binary" components >"$listing" 2>&1 || fail "$name lists its components ($binary components)" "$(tail -n 5 "$listing")"
  for component in "$@"; do
    grep -Eq "^[[:space:]-]*name: $component\$" "$listing" \
      || fail "$name has component '$component'" "see '$binary components'"
  done
}
say "checking components"
check_components otelcol "$otelcol" otlp memory_limiter batch tail_sampling span_metrics \
  otlp_grpc debug prometheus health_check zpages
check_components jaeger "$jaeger" otlp batch jaeger_storage jaeger_query jaeger_storage_exporter \
  healthcheckv2

# validate BINARY CONFIG: the binary accepts the configuration (it resolves ${env:...} defaults,
# builds every component and pipeline, and binds nothing).
validate() {
  local binary=$1 config=$2 output=$work/validate.txt
  "$binary" validate "--config=file:$config" >"$output" 2>&1 \
    || fail "validate $(basename "$config") with $(basename "$binary")" "$(tail -n 5 "$output")"
}
say "validating the configurations"
validate "$otelcol" "$config_dir/otelcol-tail-sampling.yaml"
validate "$otelcol" "$config_dir/otelcol-all.yaml"
validate "$jaeger" "$config_dir/jaeger.yaml"
say "passed: $otelcol and $jaeger build from nothing and accept collector-config/"
