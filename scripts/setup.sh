#!/usr/bin/env bash
# Installs everything HotOrder needs: Debian packages, then the real OpenTelemetry Collector and
# Jaeger built from the Go module proxy. Idempotent and quick when everything is already there.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/versions.sh"

# The native machine needs all three lists (see scripts/packages/): it builds, runs and tests.
missing=()
while read -r package; do
  [[ -z $package || $package == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done < <(cat "$here/packages/build.txt" "$here/packages/runtime.txt" "$here/packages/test.txt")
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v go >/dev/null || { echo "setup: Go is required (>= 1.25) to build the Collector and Jaeger" >&2; exit 1; }
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
((go_minor >= 25)) || { echo "setup: Go $(go env GOVERSION) is too old; the Collector $OTELCOL_VERSION needs >= 1.25" >&2; exit 1; }

if [[ -z ${OTELCOL_BIN:-} ]]; then "$here/build-otelcol.sh" >/dev/null; fi
if [[ -z ${JAEGER_BIN:-} ]]; then "$here/build-jaeger.sh" >/dev/null; fi
