# HotOrder's image: api-gateway, order-service, inventory-service, loadgen and investigate, built
# from source on Debian bookworm, run from a slim stage as a non-root user. The build context is
# the repository's root (compose/docker-compose.yaml says so); .dockerignore keeps build folders
# and .git out of it. Written for the classic builder as well as BuildKit: no cache mounts.
ARG DEBIAN_IMAGE=debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS build
# The package list is copied alone first, so editing a source file does not reinstall packages.
COPY scripts/packages/build.txt /tmp/packages.txt
RUN apt-get update -qq \
 && grep -v '^#' /tmp/packages.txt | xargs env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
COPY CMakeLists.txt /src/
COPY common /src/common
COPY services /src/services
COPY loadgen /src/loadgen
COPY tools /src/tools
# -O2 as in the native build: at -O3 GCC 12 reports a false -Wrestrict inside libstdc++.
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DHOTORDER_TESTS=OFF -DHOTORDER_WERROR=ON \
 && cmake --build /build --target api-gateway order-service inventory-service loadgen investigate \
 && mkdir /out \
 && cp /build/services/api-gateway /build/services/order-service \
       /build/services/inventory-service /build/loadgen/loadgen \
       /build/tools/investigate/investigate /out/ \
 && strip /out/*

FROM ${DEBIAN_IMAGE}
COPY scripts/packages/runtime.txt /tmp/packages.txt
RUN apt-get update -qq \
 && grep -v '^#' /tmp/packages.txt | xargs env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/packages.txt \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin hotorder
COPY --from=build /out/ /usr/local/bin/
# Inside a container the services listen on every interface of their own network namespace;
# compose publishes only what it should, on 127.0.0.1 unless told otherwise.
ENV LISTEN_ADDR=0.0.0.0
USER hotorder
# No default program: compose names the service in `command:`.
CMD ["api-gateway"]
