#!/usr/bin/env bash
# Applies db/migrations/*.sql once each, in name order, then db/seed.sql with STOCK_ROWS SKUs.
# The one migration runner: scripts/postgres.sh runs it against the native cluster, and the compose
# stack's one-shot `migrate` service runs it inside the Postgres image (which has bash and psql).
#
#   db/migrate.sh            connection from the libpq variables (PGHOST, PGPORT, PGUSER,
#                            PGPASSWORD, PGDATABASE); STOCK_ROWS (default 100000); PSQL (default psql)
#
# Each migration runs in its own transaction and is recorded in schema_migrations. One psql session
# does all of it under an advisory lock, so two concurrent runs cannot both apply the same file.
# Migration files must therefore not contain BEGIN/COMMIT themselves.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "migrate.sh: $*" >&2; exit 1; }

rows=${STOCK_ROWS:-100000}
[[ $rows =~ ^[0-9]+$ ]] || die "STOCK_ROWS must be a non-negative integer, got '$rows'"
seed=$here/seed.sql
[[ -f $seed ]] || die "$seed not found"

script=$(
  echo "SET client_min_messages = warning;"
  echo "SELECT pg_advisory_lock(hashtext('hotorder.migrate'));"
  echo "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"
  while IFS= read -r file; do
    name=$(basename "$file")
    [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "migration file name '$name' has unexpected characters"
    echo "BEGIN;"
    echo "SELECT NOT EXISTS (SELECT FROM schema_migrations WHERE name = '$name') AS pending \\gset"
    echo "\\if :pending"
    echo "\\echo applying $name"
    echo "\\i '${file//\'/\\\'}'"
    echo "INSERT INTO schema_migrations (name) VALUES ('$name');"
    echo "\\endif"
    echo "COMMIT;"
  done < <(find "$here/migrations" -maxdepth 1 -name '*.sql' -type f | LC_ALL=C sort)
  echo "\\set stock_rows $rows"
  echo "\\i '${seed//\'/\\\'}'"
  echo "SELECT pg_advisory_unlock(hashtext('hotorder.migrate'));"
)
# -X ignores ~/.psqlrc so a developer's settings cannot change the output.
PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-10} "${PSQL:-psql}" -X -q -v ON_ERROR_STOP=1 -o /dev/null \
  <<<"$script" || die "migration failed (see the message above)"
