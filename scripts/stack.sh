# shellcheck shell=bash
# The one owner of HotOrder's native stack: Jaeger, the OpenTelemetry Collector, a private
# Postgres and the three services as background processes of this machine, on given ports, with
# a chosen Collector pipeline. `./hotorder up|down|status|logs` source it; `./hotorder bench
# system` and the C++ test support (tests/support/) run it as a program:
#
#   scripts/stack.sh up                 everything, in order, each waited for (no build)
#   scripts/stack.sh down               stop everything it started, in reverse order
#   scripts/stack.sh start NAME...      start components (each waited for until ready)
#   scripts/stack.sh stop NAME...       stop components (SIGTERM, then SIGKILL after a deadline)
#   scripts/stack.sh pid NAME           print the live pid of a component; exit 1 if not running
#   scripts/stack.sh status             one line per component; exit 0 when all are healthy
#   scripts/stack.sh seed               (re)apply migrations and the seed of STOCK_ROWS SKUs
#
# NAME is jaeger, otelcol, postgres, inventory-service, order-service or api-gateway. Every
# setting is an environment variable (below); the caller's whole environment reaches the
# processes, so OTEL_*, LOG_LEVEL, ADMIN_TOKEN, FAULT_* and the services' own variables pass
# through. Binaries: the services from $HOTORDER_BUILD_DIR/services (default build/), the
# Collector and Jaeger from OTELCOL_BIN / JAEGER_BIN, else the cached builds.
#
#   services --OTLP/HTTP :4318--> Collector (collector-config/otelcol-all.yaml: every trace) --OTLP/gRPC
#   :14317--> Jaeger (collector-config/jaeger.yaml, in memory; UI and query API on :16686)
#
# The Collector pipeline: HOTORDER_PIPELINE=all (the default: otelcol-all.yaml keeps every trace,
# as the lesson's local setup does) or tail-sampling (otelcol-tail-sampling.yaml: errors, slow, force-kept and a
# share of the rest). COLLECTOR_CONFIG names another file instead.
#
# State (HOTORDER_STATE_DIR, default .hotorder/ at the repo root):
#   postgres/            the cluster (scripts/postgres.sh) and its postgres.log
#   logs/<name>.log      each process's stdout and stderr (services: JSON lines)
#   run/<name>.pid       what was started: line 1 the pid, line 2 the program it runs, line 3 its
#                        start time (clock ticks after boot, /proc/<pid>/stat field 22). `stop`
#                        signals a pid only while all three still match: a pid can be reused.

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  # Run as a program (not sourced by ./hotorder, which defines these itself).
  set -euo pipefail
  ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  BUILD_DIR=${HOTORDER_BUILD_DIR:-$ROOT/build}
  die() { echo "stack: $*" >&2; exit 1; }
  say() { echo "==> $*"; }
fi

STATE_DIR=${HOTORDER_STATE_DIR:-$ROOT/.hotorder}
GATEWAY_PORT=${GATEWAY_PORT:-8080}
ORDER_SERVICE_PORT=${ORDER_SERVICE_PORT:-8081}
INVENTORY_SERVICE_PORT=${INVENTORY_SERVICE_PORT:-8082}
POSTGRES_PORT=${POSTGRES_PORT:-55432}
# Two million SKUs: enough that a reservation without stock_sku_idx takes 0.3-0.5 s, as the
# lesson shows (on the 2-vCPU VM, missing-index mode: p50 327 ms at 2,000,000 rows, 147 ms at
# 1,000,000). Seeded once; later starts add nothing.
STOCK_ROWS=${STOCK_ROWS:-2000000}
# The tracing backend's ports (docs/architecture.md); the config files read the same names.
JAEGER_QUERY_PORT=${JAEGER_QUERY_PORT:-16686}
JAEGER_QUERY_GRPC_PORT=${JAEGER_QUERY_GRPC_PORT:-16685}
JAEGER_OTLP_GRPC_PORT=${JAEGER_OTLP_GRPC_PORT:-14317}
JAEGER_OTLP_HTTP_PORT=${JAEGER_OTLP_HTTP_PORT:-14318}
JAEGER_HEALTH_PORT=${JAEGER_HEALTH_PORT:-14133}
COLLECTOR_OTLP_GRPC_PORT=${COLLECTOR_OTLP_GRPC_PORT:-4317}
COLLECTOR_OTLP_HTTP_PORT=${COLLECTOR_OTLP_HTTP_PORT:-4318}
COLLECTOR_HEALTH_PORT=${COLLECTOR_HEALTH_PORT:-13133}
COLLECTOR_ZPAGES_PORT=${COLLECTOR_ZPAGES_PORT:-55679}
COLLECTOR_METRICS_PORT=${COLLECTOR_METRICS_PORT:-8889}
HOTORDER_PIPELINE=${HOTORDER_PIPELINE:-all}
# A file in collector-config/, or a path; by default the pipeline's file.
case $HOTORDER_PIPELINE in
  tail-sampling) COLLECTOR_CONFIG=${COLLECTOR_CONFIG:-otelcol-tail-sampling.yaml} ;;
  *) COLLECTOR_CONFIG=${COLLECTOR_CONFIG:-otelcol-all.yaml} ;;
esac
# Seconds: a component must be ready within READY_TIMEOUT of its start, and must exit within
# STOP_TIMEOUT of SIGTERM before it gets SIGKILL.
READY_TIMEOUT=${HOTORDER_READY_TIMEOUT:-30}
STOP_TIMEOUT=${HOTORDER_STOP_TIMEOUT:-10}
# What `start` waits for on a service: readyz (ready for traffic) or healthz (it serves HTTP,
# whatever the state of its database and upstreams: for tests that start one while those are down).
SERVICE_WAIT=${HOTORDER_WAIT:-readyz}

# Start order: each service's upstreams first. `down` goes the other way.
STACK_SERVICES=(inventory-service order-service api-gateway)
# The tracing backend starts before the services (so their first spans have somewhere to go) and
# stops after them; the Collector stops before Jaeger, so its last batch still has a receiver.
STACK_BACKEND=(jaeger otelcol)
STACK_LOG_NAMES="api-gateway, order-service, inventory-service, otelcol, jaeger, postgres"

stack_pg_dir() { echo "$STATE_DIR/postgres"; }
stack_database_url() { echo "postgresql://hotorder@127.0.0.1:$POSTGRES_PORT/hotorder"; }
stack_pid_file() { echo "$STATE_DIR/run/$1.pid"; }
stack_log_file() {
  if [[ $1 == postgres ]]; then echo "$(stack_pg_dir)/postgres.log"; else echo "$STATE_DIR/logs/$1.log"; fi
}

stack_port() {
  case $1 in
    api-gateway) echo "$GATEWAY_PORT" ;;
    order-service) echo "$ORDER_SERVICE_PORT" ;;
    inventory-service) echo "$INVENTORY_SERVICE_PORT" ;;
    postgres) echo "$POSTGRES_PORT" ;;
    jaeger) echo "$JAEGER_QUERY_PORT" ;;
    otelcol) echo "$COLLECTOR_OTLP_HTTP_PORT" ;;
    *) die "unknown component '$1'" ;;
  esac
}
# The variable that moves a component to another port, for messages.
stack_port_variable() {
  case $1 in
    api-gateway) echo GATEWAY_PORT ;;
    order-service) echo ORDER_SERVICE_PORT ;;
    inventory-service) echo INVENTORY_SERVICE_PORT ;;
    postgres) echo POSTGRES_PORT ;;
    jaeger) echo JAEGER_QUERY_PORT ;;
    otelcol) echo COLLECTOR_OTLP_HTTP_PORT ;;
  esac
}
# Every port a component binds, as VARIABLE names (checked free before it starts).
stack_port_variables() {
  case $1 in
    jaeger) echo JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_OTLP_GRPC_PORT \
                 JAEGER_OTLP_HTTP_PORT JAEGER_HEALTH_PORT ;;
    otelcol) echo COLLECTOR_OTLP_GRPC_PORT COLLECTOR_OTLP_HTTP_PORT COLLECTOR_HEALTH_PORT \
                  COLLECTOR_ZPAGES_PORT COLLECTOR_METRICS_PORT ;;
    *) stack_port_variable "$1" ;;
  esac
}
stack_url() { echo "http://127.0.0.1:$(stack_port "$1")"; }
stack_jaeger_url() { echo "http://127.0.0.1:$JAEGER_QUERY_PORT"; }
stack_jaeger_health_url() { echo "http://127.0.0.1:$JAEGER_HEALTH_PORT/status"; }
stack_collector_otlp_url() { echo "http://127.0.0.1:$COLLECTOR_OTLP_HTTP_PORT"; }
stack_collector_health_url() { echo "http://127.0.0.1:$COLLECTOR_HEALTH_PORT/"; }
# Not /debug/tracez: that page exists only while the Collector traces itself (otelcol-tail-sampling.yaml).
stack_zpages_url() { echo "http://127.0.0.1:$COLLECTOR_ZPAGES_PORT/debug/pipelinez"; }
stack_metrics_url() { echo "http://127.0.0.1:$COLLECTOR_METRICS_PORT/metrics"; }
# Where the services send spans: the caller's choice, else this stack's Collector.
stack_otlp_endpoint() { echo "${OTEL_EXPORTER_OTLP_ENDPOINT:-$(stack_collector_otlp_url)}"; }
stack_jaeger_ui_url() { echo "${JAEGER_UI_URL:-$(stack_jaeger_url)}"; }
# The services' database: the caller's DATABASE_URL, else this stack's Postgres.
stack_service_database_url() { echo "${DATABASE_URL:-$(stack_database_url)}"; }

# The Collector configuration file COLLECTOR_CONFIG names.
stack_collector_config() {
  if [[ $COLLECTOR_CONFIG == */* ]]; then echo "$COLLECTOR_CONFIG"; else echo "$ROOT/collector-config/$COLLECTOR_CONFIG"; fi
}
# The pipeline a Collector config file is (its path as $1): all, tail-sampling, or custom.
stack_pipeline_of() {
  case $1 in
    "$ROOT/collector-config/otelcol-all.yaml") echo all ;;
    "$ROOT/collector-config/otelcol-tail-sampling.yaml") echo tail-sampling ;;
    *) echo custom ;;
  esac
}
# The pipeline of the running Collector, else the one configured.
stack_current_pipeline() {
  # ./hotorder --compose: the compose stack's pipeline, as compose/.env (or the caller) sets it.
  if ((${HOTORDER_COMPOSE:-0})); then echo "$HOTORDER_PIPELINE"; return; fi
  local pid running=""
  pid=$(stack_live_pid otelcol) && running=$(stack_running_collector_config "$pid")
  stack_pipeline_of "${running:-$(stack_collector_config)}"
}

stack_check_config() {
  local variable value
  for variable in GATEWAY_PORT ORDER_SERVICE_PORT INVENTORY_SERVICE_PORT POSTGRES_PORT \
      JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_OTLP_GRPC_PORT JAEGER_OTLP_HTTP_PORT \
      JAEGER_HEALTH_PORT COLLECTOR_OTLP_GRPC_PORT COLLECTOR_OTLP_HTTP_PORT COLLECTOR_HEALTH_PORT \
      COLLECTOR_ZPAGES_PORT COLLECTOR_METRICS_PORT; do
    value=${!variable}
    [[ $value =~ ^[0-9]+$ ]] && ((value >= 1 && value <= 65535)) \
      || die "$variable=$value is not a port number"
  done
  [[ $STOCK_ROWS =~ ^[0-9]+$ ]] || die "STOCK_ROWS=$STOCK_ROWS is not a non-negative integer"
  [[ $HOTORDER_PIPELINE == all || $HOTORDER_PIPELINE == tail-sampling ]] \
    || die "the pipeline must be all or tail-sampling, not '$HOTORDER_PIPELINE'"
  [[ $READY_TIMEOUT =~ ^[0-9]+$ ]] || die "HOTORDER_READY_TIMEOUT=$READY_TIMEOUT is not a number of seconds"
  [[ $STOP_TIMEOUT =~ ^[0-9]+$ ]] || die "HOTORDER_STOP_TIMEOUT=$STOP_TIMEOUT is not a number of seconds"
  [[ $SERVICE_WAIT == readyz || $SERVICE_WAIT == healthz ]] \
    || die "HOTORDER_WAIT=$SERVICE_WAIT is neither readyz nor healthz"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
stack_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# "pid 123 (python3)" for whoever listens on the port, when ss can tell (same user or root).
stack_port_holder() {
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null \
    | sed -nE 's/.*users:\(\("([^"]*)",pid=([0-9]+).*/pid \2 (\1)/p' | sed -n 1p || true
}

# Field 22 of /proc/<pid>/stat: when the process started, in clock ticks after boot. It survives
# exec, so the value read right after `&` identifies the program that process becomes.
stack_start_time() {
  local stat fields
  IFS= read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  # Fields after "(comm)" (comm itself may contain spaces): state is field 3, so 22 is the 20th.
  read -r -a fields <<<"${stat##*) }"
  echo "${fields[19]:-}"
}

# Prints the pid recorded for component $1 and succeeds only while that process is still the one
# `up` started: same program (argv[0]) and same start time, and not a zombie (empty cmdline).
stack_live_pid() {
  local name=$1 pid_file pid="" program="" started="" argv0
  pid_file=$(stack_pid_file "$name")
  [[ -f $pid_file ]] || return 1
  { IFS= read -r pid; IFS= read -r program; IFS= read -r started; } <"$pid_file" || true
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # The first NUL-terminated word; a zombie's cmdline is empty and fails the read.
  IFS= read -r -d '' argv0 2>/dev/null <"/proc/$pid/cmdline" || return 1
  if [[ -n $program ]]; then
    [[ $argv0 == "$program" ]] || return 1
  else
    # A pid file written before the program was recorded: a service binary at least.
    [[ $argv0 == */services/$name ]] || return 1
  fi
  if [[ -n $started ]]; then
    [[ $(stack_start_time "$pid") == "$started" ]] || return 1
  fi
  echo "$pid"
}

# True while process $1 exists and is not a zombie (whatever program it runs by now).
stack_pid_running() {
  local stat state
  IFS= read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  state=${stat##*) }  # the field after "(comm)"; comm itself may contain spaces
  [[ ${state%% *} != Z ]]
}

# The HTTP status of GET $1 ("000" when nothing answered).
stack_http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

# Component $1's health in a few words; succeeds only when it is ready for traffic (a service:
# when its /readyz, or the path $2, answers 200).
stack_health() {
  local name=$1 probe=${2:-readyz} code api
  case $name in
    jaeger)
      code=$(stack_http_code "$(stack_jaeger_health_url)")
      [[ $code == 200 ]] || { stack_health_words "$code" "$(stack_jaeger_health_url)"; return 1; }
      api=$(stack_http_code "$(stack_jaeger_url)/api/services")
      [[ $api == 200 ]] || { stack_health_words "$api" "$(stack_jaeger_url)/api/services"; return 1; }
      echo "ready (health and query API)" ;;
    otelcol)
      code=$(stack_http_code "$(stack_collector_health_url)")
      [[ $code == 200 ]] || { stack_health_words "$code" "$(stack_collector_health_url)"; return 1; }
      echo "healthy ($(stack_collector_health_url))" ;;
    *)
      code=$(stack_http_code "$(stack_url "$name")/$probe")
      [[ $code == 200 ]] || { stack_health_words "$code" "$(stack_url "$name")/$probe"; return 1; }
      if [[ $probe == readyz ]]; then echo ready; else echo "answers /$probe"; fi ;;
  esac
}
stack_health_words() {
  if [[ $1 == 000 ]]; then echo "unreachable ($2)"; else echo "not ready ($2 answered $1)"; fi
}

stack_show_log_tail() {
  local log
  log=$(stack_log_file "$1")
  [[ -f $log ]] || return 0
  echo "---- last lines of $log ----" >&2
  tail -n 30 "$log" >&2
  echo "----" >&2
}

# The environment of service $1, as NAME=value words for env(1). Everything else in the caller's
# environment reaches the services as well (OTEL_* such as OTEL_TRACES_SAMPLER, ADMIN_TOKEN, the
# FAULT_SLOW_INDEX_SCAN* variables inventory-service reads): these only override.
stack_service_env() {
  local name=$1
  local -a vars=(
    LISTEN_ADDR=127.0.0.1
    "PORT=$(stack_port "$name")"
    "OTEL_SERVICE_NAME=$name"
    "OTEL_EXPORTER_OTLP_ENDPOINT=$(stack_otlp_endpoint)"
    # Tail sampling decides on a trace TAIL_SAMPLING_DECISION_WAIT (5 s) after its first span
    # arrives, so each service's spans of it must be there by then: the SDK's default 5 s
    # batch delay would race that. 1 s also shows a trace in Jaeger sooner.
    "OTEL_BSP_SCHEDULE_DELAY=${OTEL_BSP_SCHEDULE_DELAY:-1000}"
    "JAEGER_UI_URL=$(stack_jaeger_ui_url)"
    # What may happen to a trace after it leaves: order-service says so beside the trace ids
    # it hands out when the Collector samples by tail.
    "TRACE_PIPELINE=$(stack_pipeline_of "$(stack_collector_config)")"
    "LOG_LEVEL=${LOG_LEVEL:-info}"
  )
  case $name in
    inventory-service)
      vars+=("DATABASE_URL=$(stack_service_database_url)") ;;
    order-service)
      vars+=("DATABASE_URL=$(stack_service_database_url)"
             "INVENTORY_SERVICE_URL=$(stack_url inventory-service)") ;;
    api-gateway)
      vars+=("ORDER_SERVICE_URL=$(stack_url order-service)"
             "INVENTORY_SERVICE_URL=$(stack_url inventory-service)") ;;
  esac
  printf '%s\n' "${vars[@]}"
}

stack_jaeger_env() {
  printf '%s\n' "JAEGER_HOST=${JAEGER_HOST:-127.0.0.1}" \
    "JAEGER_QUERY_PORT=$JAEGER_QUERY_PORT" "JAEGER_QUERY_GRPC_PORT=$JAEGER_QUERY_GRPC_PORT" \
    "JAEGER_OTLP_GRPC_PORT=$JAEGER_OTLP_GRPC_PORT" "JAEGER_OTLP_HTTP_PORT=$JAEGER_OTLP_HTTP_PORT" \
    "JAEGER_HEALTH_PORT=$JAEGER_HEALTH_PORT"
}

# TAIL_SAMPLING_*, SPANMETRICS_* and the other knobs in the config's header pass through from
# the caller's environment.
stack_collector_env() {
  printf '%s\n' "COLLECTOR_HOST=${COLLECTOR_HOST:-127.0.0.1}" \
    "COLLECTOR_OTLP_GRPC_PORT=$COLLECTOR_OTLP_GRPC_PORT" \
    "COLLECTOR_OTLP_HTTP_PORT=$COLLECTOR_OTLP_HTTP_PORT" \
    "COLLECTOR_HEALTH_PORT=$COLLECTOR_HEALTH_PORT" "COLLECTOR_ZPAGES_PORT=$COLLECTOR_ZPAGES_PORT" \
    "COLLECTOR_METRICS_PORT=$COLLECTOR_METRICS_PORT" \
    "JAEGER_OTLP_GRPC_ENDPOINT=127.0.0.1:$JAEGER_OTLP_GRPC_PORT"
}

# Waits until component $1 (pid $2) is healthy; fails early when the process dies.
stack_wait_ready() {
  local name=$1 pid=$2 deadline=$((SECONDS + READY_TIMEOUT)) health
  while :; do
    health=$(stack_health "$name" "$SERVICE_WAIT") && return 0
    # Not stack_live_pid: right after the start the pid may still be running env or setsid,
    # on their way to exec'ing the program.
    if ! stack_pid_running "$pid"; then
      stack_show_log_tail "$name"
      die "$name (pid $pid) exited during start-up; its log is $(stack_log_file "$name")"
    fi
    if ((SECONDS >= deadline)); then
      stack_show_log_tail "$name"
      die "$name (pid $pid) was not ready within ${READY_TIMEOUT}s: $health; it is left running (./hotorder down stops it)"
    fi
    sleep 0.2
  done
}

# stack_start NAME PROGRAM ENV_FUNCTION [ARGS...]: starts PROGRAM in the background unless the
# recorded one still runs, then waits until it is healthy.
stack_start() {
  local name=$1 program=$2 env_function=$3 pid log holder variable port
  shift 3
  if pid=$(stack_live_pid "$name"); then
    say "$name already running (pid $pid)"
    stack_wait_ready "$name" "$pid"
    return
  fi
  [[ -x $program ]] || die "$program not found or not executable"
  for variable in $(stack_port_variables "$name"); do
    port=${!variable}
    if stack_port_in_use "$port"; then
      holder=$(stack_port_holder "$port")
      die "cannot start $name: port $port on 127.0.0.1 is already in use${holder:+ by $holder}; stop that process or set $variable to a free port"
    fi
  done
  log=$(stack_log_file "$name")
  mkdir -p "$STATE_DIR/logs" "$STATE_DIR/run"
  local -a env_vars
  mapfile -t env_vars < <("$env_function" "$name")
  # setsid: its own session, so a Ctrl-C in this terminal or the end of this script does not
  # reach it. Started from a non-interactive shell the child is no process-group leader, so
  # setsid and nohup both exec in place and $! is the program's own pid.
  echo "---- $(date -u +%FT%TZ) started by scripts/stack.sh ----" >>"$log"
  env "${env_vars[@]}" setsid nohup "$program" "$@" >>"$log" 2>&1 </dev/null &
  pid=$!
  printf '%s\n%s\n%s\n' "$pid" "$program" "$(stack_start_time "$pid" || true)" \
    >"$(stack_pid_file "$name")"
  say "started $name (pid $pid) on $(stack_url "$name"), log $log"
  stack_wait_ready "$name" "$pid"
}

stack_start_service() {
  local binary=$BUILD_DIR/services/$1
  [[ -x $binary ]] || die "$binary not found; run ./hotorder build (or set HOTORDER_BUILD_DIR)"
  stack_start "$1" "$binary" stack_service_env
}

# The Collector and Jaeger binaries: the caller's OTELCOL_BIN / JAEGER_BIN, else the cached
# builds (built first when missing).
stack_tool_paths() {
  OTELCOL_BIN=${OTELCOL_BIN:-$("$ROOT/scripts/build-otelcol.sh")} || die "could not build the Collector"
  JAEGER_BIN=${JAEGER_BIN:-$("$ROOT/scripts/build-jaeger.sh")} || die "could not build Jaeger"
  [[ -x $OTELCOL_BIN ]] || die "OTELCOL_BIN=$OTELCOL_BIN is not an executable"
  [[ -x $JAEGER_BIN ]] || die "JAEGER_BIN=$JAEGER_BIN is not an executable"
  export OTELCOL_BIN JAEGER_BIN
}

stack_start_jaeger() {
  stack_tool_paths
  stack_start jaeger "$JAEGER_BIN" stack_jaeger_env "--config=file:$ROOT/collector-config/jaeger.yaml"
}

# The --config argument of the running Collector $1 (pid), "" when unknown.
stack_running_collector_config() {
  local arg
  while IFS= read -r -d '' arg; do
    [[ $arg == --config=file:* ]] && { echo "${arg#--config=file:}"; return; }
  done 2>/dev/null <"/proc/$1/cmdline"
}

stack_start_collector() {
  local config pid running
  config=$(stack_collector_config)
  [[ -f $config ]] || die "COLLECTOR_CONFIG=$COLLECTOR_CONFIG: $config not found"
  if pid=$(stack_live_pid otelcol); then
    running=$(stack_running_collector_config "$pid")
    if [[ -n $running && $running != "$config" ]]; then
      # The services keep running: their exporters retry the moment the Collector is away.
      say "switching the Collector from $(stack_pipeline_of "$running") ($running) to $(stack_pipeline_of "$config") ($config)"
      stack_stop otelcol
      STACK_PIPELINE_SWITCHED=1
    fi
  fi
  stack_tool_paths
  stack_start otelcol "$OTELCOL_BIN" stack_collector_env "--config=file:$config"
}

# SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL; only for a pid that is still our program.
stack_stop() {
  local name=$1 pid pid_file deadline
  pid_file=$(stack_pid_file "$name")
  if ! pid=$(stack_live_pid "$name"); then
    [[ -f $pid_file ]] && rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while stack_live_pid "$name" >/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "hotorder: $name (pid $pid) did not exit within ${STOP_TIMEOUT}s of SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 5))
      while stack_live_pid "$name" >/dev/null; do
        ((SECONDS < deadline)) || die "$name (pid $pid) survived SIGKILL"
        sleep 0.1
      done
      break
    fi
    sleep 0.1
  done
  rm -f "$pid_file"
  say "stopped $name (pid $pid)"
}

# Starts the private Postgres (already running is fine), then applies migrations and the seed.
stack_start_postgres() {
  local pg_dir
  pg_dir=$(stack_pg_dir)
  if "$ROOT/scripts/postgres.sh" status "$pg_dir" >/dev/null 2>&1; then
    say "postgres already running"
  else
    stack_port_in_use "$POSTGRES_PORT" \
      && die "cannot start postgres: port $POSTGRES_PORT on 127.0.0.1 is already in use; set POSTGRES_PORT to a free port"
  fi
  "$ROOT/scripts/postgres.sh" start "$pg_dir" "$POSTGRES_PORT" >/dev/null \
    || die "PostgreSQL did not start (see the message above)"
  stack_seed
}
stack_seed() {
  say "postgres on 127.0.0.1:$POSTGRES_PORT; applying migrations and seeding $STOCK_ROWS SKUs"
  "$ROOT/scripts/postgres.sh" migrate "$(stack_pg_dir)" "$POSTGRES_PORT" "$STOCK_ROWS" \
    || die "migration failed (see the message above)"
}
stack_stop_postgres() {
  if "$ROOT/scripts/postgres.sh" status "$(stack_pg_dir)" >/dev/null 2>&1; then
    "$ROOT/scripts/postgres.sh" stop "$(stack_pg_dir)" || die "could not stop PostgreSQL"
    say "stopped postgres"
  fi
}

# stack_start_component NAME / stack_stop_component NAME: one component, whatever its kind.
stack_start_component() {
  case $1 in
    jaeger) stack_start_jaeger ;;
    otelcol|collector) stack_start_collector ;;
    postgres) stack_start_postgres ;;
    api-gateway|order-service|inventory-service) stack_start_service "$1" ;;
    *) die "unknown component '$1' ($STACK_LOG_NAMES)" ;;
  esac
}
stack_stop_component() {
  case $1 in
    postgres) stack_stop_postgres ;;
    collector) stack_stop otelcol ;;
    api-gateway|order-service|inventory-service|otelcol|jaeger) stack_stop "$1" ;;
    *) die "unknown component '$1' ($STACK_LOG_NAMES)" ;;
  esac
}

stack_up() {
  stack_check_config
  mkdir -p "$STATE_DIR"
  local name
  STACK_PIPELINE_SWITCHED=0
  for name in "${STACK_BACKEND[@]}" postgres; do
    stack_start_component "$name"
  done
  # Services started under another pipeline restart, so what they say about their trace ids
  # (TRACE_PIPELINE) is true of the new one.
  for name in "${STACK_SERVICES[@]}"; do
    ((STACK_PIPELINE_SWITCHED)) && stack_stop "$name"
    stack_start_component "$name"
  done
  say "HotOrder is up:"
  echo "  api-gateway        $(stack_url api-gateway)   (POST /api/orders)"
  echo "  order-service      $(stack_url order-service)"
  echo "  inventory-service  $(stack_url inventory-service)   (admin: ./hotorder fault)"
  echo "  postgres           $(stack_database_url)"
  stack_print_tracing_urls
  echo "  logs               $STATE_DIR/logs   (./hotorder logs [name] [-f])"
  echo "  check every hop    ./hotorder doctor"
}

# The URLs to open; with "probe", each followed by whether it answers right now.
stack_print_tracing_urls() {
  local probe=${1:-}
  stack_url_line "Jaeger UI and API" "$(stack_jaeger_url)" "   (/api/services, /api/traces/{id})" "$probe"
  stack_url_line "Collector OTLP" "$(stack_collector_otlp_url)/v1/traces" " (HTTP), 127.0.0.1:$COLLECTOR_OTLP_GRPC_PORT (gRPC)" ""
  stack_url_line "Collector health" "$(stack_collector_health_url)" "" "$probe"
  stack_url_line "zpages" "$(stack_zpages_url)" "" "$probe"
  stack_url_line "span metrics" "$(stack_metrics_url)" "   (exemplars: Accept: application/openmetrics-text)" "$probe"
  echo "  pipeline           $(stack_current_pipeline) ($(stack_collector_config))"
}
stack_url_line() {  # stack_url_line LABEL URL SUFFIX [probe]
  local state="" code
  if [[ -n ${4:-} ]]; then
    code=$(stack_http_code "$2")
    case $code in
      200) state="  [answers]" ;;
      000) state="  [no answer]" ;;
      *) state="  [HTTP $code]" ;;
    esac
  fi
  printf '  %-18s %s%s%s\n' "$1" "$2" "$3" "$state"
}

stack_down() {
  local i
  for ((i = ${#STACK_SERVICES[@]} - 1; i >= 0; i--)); do stack_stop "${STACK_SERVICES[i]}"; done
  for ((i = ${#STACK_BACKEND[@]} - 1; i >= 0; i--)); do stack_stop "${STACK_BACKEND[i]}"; done
  stack_stop_postgres
}

stack_status_line() { printf '%-18s %-9s %-48s %s\n' "$@"; }

# One line per component; succeeds only when every one is running and ready.
stack_status() {
  local all_up=0 name pid health pg_pid
  stack_status_line COMPONENT PID URL HEALTH
  for name in "${STACK_BACKEND[@]}" postgres "${STACK_SERVICES[@]}"; do
    if [[ $name == postgres ]]; then
      if "$ROOT/scripts/postgres.sh" status "$(stack_pg_dir)" >/dev/null 2>&1; then
        pg_pid=$(head -n 1 "$(stack_pg_dir)/pgdata/postmaster.pid" 2>/dev/null || echo "?")
        stack_status_line postgres "$pg_pid" "$(stack_database_url)" running
      else
        stack_status_line postgres stopped "$(stack_database_url)" -
        all_up=1
      fi
      continue
    fi
    if pid=$(stack_live_pid "$name"); then
      health=$(stack_health "$name") || all_up=1
    else
      pid=stopped
      health=-
      stack_port_in_use "$(stack_port "$name")" && health="port in use by another process"
      all_up=1
    fi
    stack_status_line "$name" "$pid" "$(stack_url "$name")" "$health"
  done
  echo
  stack_print_tracing_urls probe
  return "$all_up"
}

stack_logs() {  # stack_logs LINES FOLLOW [name]
  local lines=$1 follow=$2 name=${3:-} file
  local -a files=()
  if [[ -n $name ]]; then
    case $name in
      postgres|api-gateway|order-service|inventory-service|otelcol|jaeger) ;;
      collector) name=otelcol ;;
      *) die "unknown component '$name' ($STACK_LOG_NAMES)" ;;
    esac
    file=$(stack_log_file "$name")
    [[ -f $file ]] || die "no log for $name yet ($file); has ./hotorder up run?"
    files=("$file")
  else
    for name in "${STACK_SERVICES[@]}" "${STACK_BACKEND[@]}" postgres; do
      file=$(stack_log_file "$name")
      [[ -f $file ]] && files+=("$file")
    done
    ((${#files[@]})) || die "no logs in $STATE_DIR yet; has ./hotorder up run?"
  fi
  if ((follow)); then
    exec tail -n "$lines" -F "${files[@]}"
  fi
  tail -n "$lines" "${files[@]}"
}

stack_main() {
  local command=${1:-}
  [[ $# -gt 0 ]] && shift
  stack_check_config
  case $command in
    up) [[ $# -eq 0 ]] || die "up takes no names"; stack_up ;;
    down) [[ $# -eq 0 ]] || die "down takes no names"; stack_down ;;
    start|stop)
      (($#)) || die "$command needs one or more of: $STACK_LOG_NAMES"
      mkdir -p "$STATE_DIR"
      local name
      for name in "$@"; do "stack_${command}_component" "$name"; done ;;
    pid)
      [[ $# -eq 1 ]] || die "pid takes one name"
      if [[ $1 == postgres ]]; then
        "$ROOT/scripts/postgres.sh" status "$(stack_pg_dir)" >/dev/null 2>&1 || return 1
        head -n 1 "$(stack_pg_dir)/pgdata/postmaster.pid"
      else
        stack_live_pid "$1"
      fi ;;
    status) stack_status ;;
    seed) stack_seed ;;
    *) sed -n '7,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
       die "unknown command '${command}'" ;;
  esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then stack_main "$@"; fi
