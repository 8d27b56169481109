#!/usr/bin/env bash
# ctest's compose_spec: the compose-go test with the project's Go environment and caches.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../scripts/versions.sh"
source "$here/../../scripts/go-env.sh"
cd "$here"
exec go test -count=1 ./...
