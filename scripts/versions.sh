# Pinned versions of the external parts HotOrder builds. One place; every script sources this.
# shellcheck shell=bash
OTELCOL_VERSION=0.155.0              # Collector Builder and every component in the manifest
# Jaeger v2 lives in module github.com/jaegertracing/jaeger (no /v2). The module proxy reachable
# here carries tag v1.76.0 of that module, released together with Jaeger v2.13.0 (its CHANGELOG:
# "v1.76.0 / v2.13.0"); its cmd/jaeger is the Jaeger v2 binary.
JAEGER_MODULE_VERSION=v1.76.0
HOTORDER_CACHE=${HOTORDER_CACHE:-$HOME/.cache/hotorder}
