#!/usr/bin/env bash
# Builds HotOrder's OpenTelemetry Collector distribution with the Collector Builder (ocb) and
# prints the binary's path. The binary is cached by version and manifest hash, so a second run
# only prints the path.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/versions.sh"
source "$here/go-env.sh"

manifest="$here/../collector-config/otelcol-builder.yaml"
key="$OTELCOL_VERSION-$(sha256sum "$manifest" | cut -c1-12)"
dir="$HOTORDER_CACHE/otelcol/$key"
bin="$dir/otelcol-hotorder/otelcol-hotorder"
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9                                   # one build at a time; a waiter finds it done
if [[ ! -x $bin ]]; then
  echo "building OpenTelemetry Collector $OTELCOL_VERSION (several minutes the first time)..." >&2
  [[ -x $GOBIN/builder-$OTELCOL_VERSION ]] || {
    go install "go.opentelemetry.io/collector/cmd/builder@v$OTELCOL_VERSION" >&2
    mv "$GOBIN/builder" "$GOBIN/builder-$OTELCOL_VERSION"
  }
  # The builder's own `go mod tidy` also resolves the components' test-only imports, and one of
  # them (contrib's otlpencodingextension) is not on the module proxy reachable here. So the
  # builder only generates the sources, and `go build -mod=mod` resolves what the binary needs.
  # The manifest's output_path is relative, so the builder works inside the cache folder.
  (cd "$dir" && "$GOBIN/builder-$OTELCOL_VERSION" --config "$manifest" \
      --skip-get-modules --skip-compilation >&2)
  (cd "$dir/otelcol-hotorder" && go build -mod=mod -ldflags="-s -w" -o otelcol-hotorder.tmp . >&2 \
      && mv otelcol-hotorder.tmp otelcol-hotorder)
fi
echo "$bin"
