#!/usr/bin/env bash
# HotOrder's private PostgreSQL cluster: one data directory, one loopback port, no system service.
#
#   scripts/postgres.sh start   DATA_DIR PORT                # initdb on first run, start, create role+db
#   scripts/postgres.sh migrate DATA_DIR PORT [STOCK_ROWS]   # db/migrations/*.sql once each, then db/seed.sql
#   scripts/postgres.sh stop    DATA_DIR                     # fast shutdown; ok when not running
#   scripts/postgres.sh status  DATA_DIR                     # exit 0 when running
#
# Layout under DATA_DIR: pgdata/ (the cluster) and postgres.log (the server log).
# Database URL: postgresql://hotorder@127.0.0.1:PORT/hotorder
#
# The server listens on 127.0.0.1 only and has no unix socket (a socket path under a deep temp
# dir can exceed the 107-byte sun_path limit, and TCP is what the services use anyway). Auth is
# trust, which is why nothing but loopback is ever allowed in pg_hba.conf.
#
# Environment:
#   POSTGRES_EXTRA_OPTS  extra server options, e.g. "-c fsync=off" (tests; initdb then skips its
#                        sync too); durability is left at Postgres' defaults otherwise, because
#                        benchmarks compare against fsyncs.
#   STOCK_ROWS           seed size for migrate when not given as an argument (default 100000).
#   PG_BINDIR            where initdb/pg_ctl/postgres live, when the search below is wrong.
#   POSTGRES_START_TIMEOUT  seconds to wait for the server to accept connections (default 60).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
readonly superuser=postgres  # fixed with initdb -U, so it is the same for root and developers

die() { echo "postgres.sh: $*" >&2; exit 1; }

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Debian keeps the server binaries out of PATH, in /usr/lib/postgresql/<major>/bin; pick the
# newest installed major. Elsewhere (Homebrew, source builds) pg_config or PATH knows.
find_bindir() {
  if [[ -n ${PG_BINDIR:-} ]]; then
    [[ -x $PG_BINDIR/pg_ctl ]] || die "PG_BINDIR=$PG_BINDIR has no pg_ctl"
    echo "$PG_BINDIR"; return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n $dir && -x $dir/pg_ctl ]]; then echo "$dir"; return; fi
  if command -v pg_config >/dev/null; then
    dir=$(pg_config --bindir)
    if [[ -x $dir/pg_ctl ]]; then echo "$dir"; return; fi
  fi
  if command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; return; fi
  die "PostgreSQL server binaries (initdb, pg_ctl) not found; run ./hotorder setup or set PG_BINDIR"
}

# initdb and pg_ctl refuse to run as root, so root runs the cluster as the postgres OS user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    # cd / first: the server must not inherit a working directory its user cannot enter.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# psql over TCP; -X ignores ~/.psqlrc so a developer's settings cannot change the output.
run_psql() {
  local port=$1 user=$2 db=$3; shift 3
  PGCONNECT_TIMEOUT=10 "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U "$user" -d "$db" \
    -v ON_ERROR_STOP=1 "$@"
}

check_port() {
  [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= 65535)) || die "invalid port '$1'"
}

# Absolute path without requiring it to exist yet.
absolute() {
  case $1 in
    /*) echo "$1" ;;
    *) echo "$PWD/$1" ;;
  esac
}

# As root, every ancestor of DATA_DIR must be searchable by postgres (a repo under a 0700 home
# would otherwise make the server fail with a bare "permission denied"). Adds o+x where missing.
ensure_traversable() {
  [[ $(id -u) -eq 0 ]] || return 0
  local dir=$1 ancestors=() i
  while [[ $dir != / && -n $dir ]]; do
    dir=$(dirname "$dir")
    ancestors+=("$dir")
  done
  # From / downwards: a directory is only reachable once its parent is.
  for ((i = ${#ancestors[@]} - 1; i >= 0; i--)); do
    dir=${ancestors[i]}
    if ! runuser -u postgres -- test -x "$dir"; then
      echo "postgres.sh: granting search permission on $dir so the postgres user can reach the data" >&2
      chmod o+x "$dir"
    fi
  done
}

# 0 when the cluster in $1/pgdata has a live postmaster.
is_running() {
  local pgdata=$1/pgdata
  [[ -f $pgdata/PG_VERSION ]] || return 1
  as_owner "$bindir/pg_ctl" status -D "$pgdata" >/dev/null 2>&1
}

# The port a running postmaster listens on (line 4 of postmaster.pid).
running_port() {
  sed -n 4p "$1/pgdata/postmaster.pid" 2>/dev/null || true
}

# True when anything accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

show_log_tail() {
  local log=$1/postgres.log
  if [[ -f $log ]]; then
    echo "---- last lines of $log ----" >&2
    tail -n 30 "$log" >&2
  fi
}

init_cluster() {
  local data_dir=$1 pgdata=$1/pgdata
  mkdir -p "$data_dir"
  if [[ $(id -u) -eq 0 ]]; then
    ensure_traversable "$data_dir"
    chown postgres: "$data_dir"
  fi
  [[ -f $pgdata/PG_VERSION ]] && return 0
  if [[ -e $pgdata ]] && [[ -n $(ls -A "$pgdata") ]]; then
    die "$pgdata exists but is not a PostgreSQL cluster; remove it or choose another DATA_DIR"
  fi
  echo "postgres.sh: initialising a new cluster in $pgdata" >&2
  # A caller that runs the server with fsync=off (tests) does not want durability, so initdb
  # may skip its final sync too: that sync is most of initdb's time on a busy disk.
  local no_sync=()
  [[ ${POSTGRES_EXTRA_OPTS:-} =~ fsync=(off|false|0)([[:space:]]|$) ]] && no_sync=(--no-sync)
  # C collation: byte order, identical on every machine, so SKU order never depends on a locale.
  if ! as_owner "$bindir/initdb" "${no_sync[@]}" -D "$pgdata" -U "$superuser" -E UTF8 \
      --locale=C --auth-local=trust --auth-host=trust >"$data_dir/initdb.log" 2>&1; then
    cat "$data_dir/initdb.log" >&2
    die "initdb failed"
  fi
  # Only loopback, and nothing else: trust auth must never reach a network interface.
  as_owner tee "$pgdata/pg_hba.conf" >/dev/null <<'EOF'
# Written by scripts/postgres.sh: trust, but only for this machine.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
EOF
  as_owner tee -a "$pgdata/postgresql.conf" >/dev/null <<'EOF'

# --- scripts/postgres.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
EOF
}

wait_ready() {
  local port=$1 deadline=$((SECONDS + ${POSTGRES_START_TIMEOUT:-60}))
  until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres -t 2; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

ensure_role_and_database() {
  local port=$1
  run_psql "$port" "$superuser" postgres <<'EOF'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotorder') THEN
    CREATE ROLE hotorder LOGIN;
  END IF;
END
$$;
SELECT 'CREATE DATABASE hotorder OWNER hotorder ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hotorder') \gexec
EOF
}

cmd_start() {
  (($# == 2)) || die "usage: postgres.sh start DATA_DIR PORT"
  local data_dir port=$2
  data_dir=$(absolute "$1")
  check_port "$port"

  if is_running "$data_dir"; then
    local current
    current=$(running_port "$data_dir")
    [[ $current == "$port" ]] \
      || die "the cluster in $data_dir is already running on port $current, not $port; stop it first"
  else
    if port_in_use "$port"; then
      die "port $port on 127.0.0.1 is already in use by another process (choose another PORT)"
    fi
    init_cluster "$data_dir"
    # The port goes on the command line (not postgresql.conf) so one DATA_DIR can be started on
    # any port. POSTGRES_EXTRA_OPTS is split on whitespace on purpose: "-c a=1 -c b=2".
    local opts="-p $port ${POSTGRES_EXTRA_OPTS:-}"
    if ! as_owner "$bindir/pg_ctl" start -D "$data_dir/pgdata" -l "$data_dir/postgres.log" \
        -w -t "${POSTGRES_START_TIMEOUT:-60}" -o "$opts" >/dev/null; then
      show_log_tail "$data_dir"
      die "PostgreSQL did not start on 127.0.0.1:$port"
    fi
  fi

  if ! wait_ready "$port"; then
    show_log_tail "$data_dir"
    die "PostgreSQL on 127.0.0.1:$port did not accept connections in time"
  fi
  ensure_role_and_database "$port" || die "could not create role/database hotorder"
  echo "postgresql://hotorder@127.0.0.1:$port/hotorder"
}

# db/migrate.sh is the migration runner; this points it at the cluster in DATA_DIR.
cmd_migrate() {
  (($# == 2 || $# == 3)) || die "usage: postgres.sh migrate DATA_DIR PORT [STOCK_ROWS]"
  local data_dir port=$2 rows=${3:-${STOCK_ROWS:-100000}}
  data_dir=$(absolute "$1")
  check_port "$port"
  is_running "$data_dir" || die "no cluster running in $data_dir; run 'postgres.sh start' first"
  PSQL=$bindir/psql PGHOST=127.0.0.1 PGPORT=$port PGUSER=hotorder PGDATABASE=hotorder \
    STOCK_ROWS=$rows "$repo/db/migrate.sh" || die "migration failed (see the message above)"
}

cmd_stop() {
  (($# == 1)) || die "usage: postgres.sh stop DATA_DIR"
  local data_dir
  data_dir=$(absolute "$1")
  is_running "$data_dir" || return 0
  if ! as_owner "$bindir/pg_ctl" stop -D "$data_dir/pgdata" -m fast -w -t 60 >/dev/null; then
    echo "postgres.sh: fast shutdown timed out; shutting down immediately" >&2
    as_owner "$bindir/pg_ctl" stop -D "$data_dir/pgdata" -m immediate -w -t 30 >/dev/null \
      || die "could not stop the cluster in $data_dir"
  fi
}

cmd_status() {
  (($# == 1)) || die "usage: postgres.sh status DATA_DIR"
  local data_dir
  data_dir=$(absolute "$1")
  if is_running "$data_dir"; then
    echo "running on 127.0.0.1:$(running_port "$data_dir")"
  else
    echo "not running"
    return 3
  fi
}

command=${1:-}
(($# > 0)) && shift
case $command in
  start | migrate | stop | status) bindir=$(find_bindir) ;;
esac
case $command in
  start) cmd_start "$@" ;;
  migrate) cmd_migrate "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
