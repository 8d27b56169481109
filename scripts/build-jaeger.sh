#!/usr/bin/env bash
# Builds the Jaeger v2 binary from the Go module proxy and prints its path (cached by version).
# Jaeger's go.mod carries a replace directive, which `go install pkg@version` refuses; building the
# package from a throwaway module that requires Jaeger is the supported way around that.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/versions.sh"
source "$here/go-env.sh"

dir="$HOTORDER_CACHE/jaeger/$JAEGER_MODULE_VERSION"
bin="$dir/jaeger"
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi

mkdir -p "$dir/module"
exec 9>"$dir/.lock"
flock 9
if [[ ! -x $bin ]]; then
  echo "building Jaeger ($JAEGER_MODULE_VERSION, several minutes the first time)..." >&2
  cd "$dir/module"
  [[ -f go.mod ]] || go mod init hotorder.local/jaeger-build >&2
  go get "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2
  go build -o "$bin.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
