#!/usr/bin/env bash
# Builds the Jaeger v2 binary from the Go module proxy and prints its path.
#
#   build-jaeger.sh             the cached binary, built first when missing ($HOTORDER_CACHE/jaeger/)
#   build-jaeger.sh --out DIR   always build, from nothing, into the empty folder DIR (the cold-path
#                               guard); only Go's module and build caches are shared
#
# Jaeger's go.mod carries replace directives, which `go install pkg@version` refuses; building the
# package from a module of our own that requires Jaeger is the supported way around that. That
# module is made anew in a scratch folder every time, and the binary is published only when every
# step succeeded there.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/versions.sh"
source "$here/go-env.sh"

out=""
if [[ ${1:-} == --out ]]; then
  [[ $# -eq 2 ]] || { echo "usage: build-jaeger.sh [--out DIR]" >&2; exit 2; }
  out=$2
fi
dir=${out:-$HOTORDER_CACHE/jaeger/$JAEGER_MODULE_VERSION}
bin="$dir/jaeger"
if [[ -z $out && -x $bin ]]; then echo "$bin"; exit 0; fi

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [[ -n $out || ! -x $bin ]]; then
  echo "building Jaeger $JAEGER_VERSION (module $JAEGER_MODULE_VERSION, several minutes the first time)..." >&2
  scratch=$(mktemp -d "$dir/.build-XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  step() { echo "build-jaeger: step '$1' failed (scratch folder $scratch)" >&2; exit 1; }
  cd "$scratch"
  go mod init hotorder.local/jaeger-build >&2 || step "go mod init"
  go get "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2 \
    || step "go get github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION"
  go build -ldflags="-s -w" -o jaeger github.com/jaegertracing/jaeger/cmd/jaeger >&2 \
    || step "go build github.com/jaegertracing/jaeger/cmd/jaeger"
  ./jaeger version >/dev/null 2>&1 || step "the built binary does not run (jaeger version)"
  mv jaeger "$bin.tmp"
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
