# Pinned versions of the external parts HotOrder builds. One place; every script sources this.
# shellcheck shell=bash
OTELCOL_VERSION=0.155.0              # Collector Builder and every component in the manifest
# Jaeger v2 lives in module github.com/jaegertracing/jaeger (no /v2): its tag v1.75.0 was released
# together with Jaeger v2.12.0, and its cmd/jaeger is the Jaeger v2 binary. v1.75.0 is the approved
# release on the Go module proxy these machines reach; newer tags are served but not approved.
JAEGER_MODULE_VERSION=v1.75.0
JAEGER_VERSION=2.12.0
HOTORDER_CACHE=${HOTORDER_CACHE:-$HOME/.cache/hotorder}
