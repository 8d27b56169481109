# Go build environment for the external tools: static, reproducible, caches kept between runs.
# shellcheck shell=bash
export CGO_ENABLED=0 GOFLAGS=-trimpath GOTOOLCHAIN=local
export GOMODCACHE="$HOTORDER_CACHE/go/mod" GOCACHE="$HOTORDER_CACHE/go/build" GOBIN="$HOTORDER_CACHE/go/bin"
# The module proxy reachable from these machines answers checksum-database lookups for only some
# modules (404 for the rest), so verification against sum.golang.org cannot complete here. Module
# contents still come over TLS from the proxy and are pinned by the versions in versions.sh.
export GOSUMDB=off
