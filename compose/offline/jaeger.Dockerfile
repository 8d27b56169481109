# Stand-in for jaegertracing/jaeger at the pinned version: the project's own Go build of the
# same release (scripts/build-jaeger.sh), static. scripts/compose.sh copies the binary into the
# build context as `binary`.
# Emulates: the binary at /cmd/jaeger/jaeger-linux as entrypoint (arguments are Jaeger's flags),
# user 10001, JAEGER_LISTEN_HOST=0.0.0.0, the exposed ports, /tmp as a volume.
# Does not emulate: the web UI (the Go module carries a placeholder page; the query API is the
# same) and the official image's Alpine base: this one has no shell at all, so a healthcheck
# that needs one fails here first rather than passing here and failing for users.
FROM scratch
ENV JAEGER_LISTEN_HOST=0.0.0.0
COPY binary /cmd/jaeger/jaeger-linux
VOLUME ["/tmp"]
ENTRYPOINT ["/cmd/jaeger/jaeger-linux"]
USER 10001
EXPOSE 4317 4318 5778 9411 13133 14250 14268 16686
