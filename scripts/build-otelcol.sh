#!/usr/bin/env bash
# Builds HotOrder's OpenTelemetry Collector distribution with the Collector Builder (ocb) and
# prints the binary's path.
#
#   build-otelcol.sh             the cached binary, built first when missing (keyed by version and
#                                manifest hash under $HOTORDER_CACHE/otelcol/)
#   build-otelcol.sh --out DIR   always build, from nothing, into the empty folder DIR (the
#                                cold-path guard); only Go's module and build caches are shared
#
# Every step runs in a scratch folder of its own and the binary is published (renamed into place)
# only after every step succeeded there, so nothing an earlier or failed run left behind can make
# a later one pass.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/versions.sh"
source "$here/go-env.sh"

manifest="$here/../collector-config/otelcol-builder.yaml"
out=""
if [[ ${1:-} == --out ]]; then
  [[ $# -eq 2 ]] || { echo "usage: build-otelcol.sh [--out DIR]" >&2; exit 2; }
  out=$2
fi
if [[ -n $out ]]; then
  dir=$out
else
  dir="$HOTORDER_CACHE/otelcol/$OTELCOL_VERSION-$(sha256sum "$manifest" | cut -c1-12)"
fi
bin="$dir/otelcol-hotorder"
if [[ -z $out && -x $bin ]]; then echo "$bin"; exit 0; fi

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9                                   # one build at a time; a waiter finds it done
if [[ -n $out || ! -x $bin ]]; then
  echo "building OpenTelemetry Collector $OTELCOL_VERSION (several minutes the first time)..." >&2
  scratch=$(mktemp -d "$dir/.build-XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  step() { echo "build-otelcol: step '$1' failed (scratch folder $scratch)" >&2; exit 1; }
  # The builder itself, installed into the scratch folder: a builder of another version (or a
  # broken one) left in a shared bin folder cannot stand in for it.
  GOBIN="$scratch/bin" go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION" >&2 \
    || step "install the Collector Builder v$OTELCOL_VERSION"
  # The builder writes the sources and go.mod, resolves the modules (go mod tidy) and compiles.
  # Its tidy also resolves the components' test-only imports, so a component whose tests import
  # a module the proxy does not serve cannot be in the manifest (contrib's file exporter was one:
  # its tests import otlpencodingextension). The manifest's output_path is relative to here.
  (cd "$scratch" && "$scratch/bin/builder" --config "$manifest" >&2) \
    || step "generate, resolve and compile the distribution (builder --config otelcol-builder.yaml)"
  [[ -f $scratch/otelcol-hotorder/go.mod ]] || step "the builder wrote no go.mod"
  [[ -x $scratch/otelcol-hotorder/otelcol-hotorder ]] || step "the builder produced no binary"
  "$scratch/otelcol-hotorder/otelcol-hotorder" --version >/dev/null \
    || step "the built binary does not run (otelcol-hotorder --version)"
  mv "$scratch/otelcol-hotorder/otelcol-hotorder" "$bin.tmp"
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
