# Stand-in for otel/opentelemetry-collector-contrib at the pinned version: the project's own Go
# build of the same Collector release (scripts/build-otelcol.sh), static, in an image shaped like
# the official one. scripts/compose.sh copies the binary into the build context as `binary`.
# Emulates: FROM scratch (no shell, no wget or curl, so no healthcheck can run inside), user
# 10001:10001, the binary at /otelcol-contrib as entrypoint, `--config
# /etc/otelcol-contrib/config.yaml` as the default command, the exposed ports.
# Does not emulate: contrib's full component list (only what collector-config/ uses, per
# collector-config/otelcol-builder.yaml) and its CA bundle (nothing here speaks TLS).
FROM scratch
USER 10001:10001
COPY binary /otelcol-contrib
ENTRYPOINT ["/otelcol-contrib"]
CMD ["--config", "/etc/otelcol-contrib/config.yaml"]
EXPOSE 4317 4318 55679
