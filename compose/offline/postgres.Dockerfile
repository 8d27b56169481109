# Stand-in for the official postgres:15 image (bookworm variant): Debian's postgresql-15 behind
# postgres-entrypoint.sh. Emulates the part of the official contract compose/docker-compose.yaml
# uses: entrypoint docker-entrypoint.sh with `postgres` as command (flags such as -c pass
# through), POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB on first start, PGDATA at
# /var/lib/postgresql/data, the user postgres (uid 999) the server runs as, local socket
# connections trusted and TCP ones by password (scram-sha-256), listen on every interface, port
# 5432, SIGINT to stop (a fast shutdown), bash, psql and pg_isready on the PATH.
# Does not emulate: /docker-entrypoint-initdb.d, POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD,
# the en_US.utf8 locale (this one is C.UTF-8) and the exact minor release (Debian's).
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN groupadd --system --gid 999 postgres \
 && useradd --system --gid postgres --uid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql \
 && install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
