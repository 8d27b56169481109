# shellcheck shell=bash
# The native stack behind `./hotorder up|down|status|logs`: a private Postgres and the three
# services as background processes of this machine. Sourced by ./hotorder (which defines ROOT,
# BUILD_DIR, die and say); it only defines variables and functions.
#
# State (HOTORDER_STATE_DIR, default .hotorder/ at the repo root):
#   postgres/            the cluster (scripts/postgres.sh) and its postgres.log
#   logs/<name>.log      each service's stdout and stderr (JSON lines)
#   run/<name>.pid       the pid `up` started; `down` signals exactly these pids, and only while
#                        /proc/<pid>/cmdline still shows our binary (a pid can be reused)

STATE_DIR=${HOTORDER_STATE_DIR:-$ROOT/.hotorder}
GATEWAY_PORT=${GATEWAY_PORT:-8080}
ORDER_SERVICE_PORT=${ORDER_SERVICE_PORT:-8081}
INVENTORY_SERVICE_PORT=${INVENTORY_SERVICE_PORT:-8082}
POSTGRES_PORT=${POSTGRES_PORT:-55432}
STOCK_ROWS=${STOCK_ROWS:-100000}
# Seconds: a service must answer /readyz within READY_TIMEOUT of its start, and must exit within
# STOP_TIMEOUT of SIGTERM before it gets SIGKILL.
READY_TIMEOUT=${HOTORDER_READY_TIMEOUT:-30}
STOP_TIMEOUT=${HOTORDER_STOP_TIMEOUT:-10}

# Start order: each service's upstreams first. `down` goes the other way.
STACK_SERVICES=(inventory-service order-service api-gateway)

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
  esac
}
stack_url() { echo "http://127.0.0.1:$(stack_port "$1")"; }

stack_check_config() {
  local variable value
  for variable in GATEWAY_PORT ORDER_SERVICE_PORT INVENTORY_SERVICE_PORT POSTGRES_PORT; do
    value=${!variable}
    [[ $value =~ ^[0-9]+$ ]] && ((value >= 1 && value <= 65535)) \
      || die "$variable=$value is not a port number"
  done
  [[ $STOCK_ROWS =~ ^[0-9]+$ ]] || die "STOCK_ROWS=$STOCK_ROWS is not a non-negative integer"
  [[ $READY_TIMEOUT =~ ^[0-9]+$ ]] || die "HOTORDER_READY_TIMEOUT=$READY_TIMEOUT is not a number of seconds"
  [[ $STOP_TIMEOUT =~ ^[0-9]+$ ]] || die "HOTORDER_STOP_TIMEOUT=$STOP_TIMEOUT is not a number of seconds"
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

# Prints the pid recorded for service $1 and succeeds only while that process is still our
# binary: not merely alive (the pid may have been reused), and not a zombie (empty cmdline).
stack_live_pid() {
  local name=$1 pid_file pid argv0
  pid_file=$(stack_pid_file "$name")
  [[ -f $pid_file ]] || return 1
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # The first NUL-terminated word; a zombie's cmdline is empty and fails the read.
  IFS= read -r -d '' argv0 <"/proc/$pid/cmdline" 2>/dev/null || return 1
  [[ $argv0 == */services/$name ]] || return 1
  echo "$pid"
}

# True while process $1 exists and is not a zombie (whatever program it runs by now).
stack_pid_running() {
  local stat state
  IFS= read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
  state=${stat##*) }  # the field after "(comm)"; comm itself may contain spaces
  [[ ${state%% *} != Z ]]
}

# The HTTP status of GET /readyz ("000" when nothing answered).
stack_readyz() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(stack_url "$1")/readyz" 2>/dev/null || true
}

stack_show_log_tail() {
  local log
  log=$(stack_log_file "$1")
  [[ -f $log ]] || return 0
  echo "---- last lines of $log ----" >&2
  tail -n 30 "$log" >&2
  echo "----" >&2
}

# The environment of service $1, as NAME=value words for env(1).
stack_service_env() {
  local name=$1
  local -a vars=(
    LISTEN_ADDR=127.0.0.1
    "PORT=$(stack_port "$name")"
    "OTEL_SERVICE_NAME=$name"
    "OTEL_EXPORTER_OTLP_ENDPOINT=${OTEL_EXPORTER_OTLP_ENDPOINT:-http://127.0.0.1:4318}"
    "LOG_LEVEL=${LOG_LEVEL:-info}"
  )
  case $name in
    inventory-service)
      vars+=("DATABASE_URL=$(stack_database_url)") ;;
    order-service)
      vars+=("DATABASE_URL=$(stack_database_url)"
             "INVENTORY_SERVICE_URL=$(stack_url inventory-service)") ;;
    api-gateway)
      vars+=("ORDER_SERVICE_URL=$(stack_url order-service)"
             "INVENTORY_SERVICE_URL=$(stack_url inventory-service)") ;;
  esac
  printf '%s\n' "${vars[@]}"
}

# Waits until service $1 (pid $2) answers /readyz with 200; fails early when the process dies.
stack_wait_ready() {
  local name=$1 pid=$2 deadline=$((SECONDS + READY_TIMEOUT))
  while :; do
    [[ $(stack_readyz "$name") == 200 ]] && return 0
    # Not stack_live_pid: right after the start the pid may still be running env or setsid,
    # on their way to exec'ing the service.
    if ! stack_pid_running "$pid"; then
      stack_show_log_tail "$name"
      die "$name (pid $pid) exited during start-up; its log is $(stack_log_file "$name")"
    fi
    if ((SECONDS >= deadline)); then
      stack_show_log_tail "$name"
      die "$name (pid $pid) was not ready on $(stack_url "$name")/readyz within ${READY_TIMEOUT}s; it is left running (./hotorder down stops it)"
    fi
    sleep 0.2
  done
}

stack_start_service() {
  local name=$1 port binary pid log holder
  port=$(stack_port "$name")
  if pid=$(stack_live_pid "$name"); then
    say "$name already running (pid $pid)"
    stack_wait_ready "$name" "$pid"
    return
  fi
  binary=$BUILD_DIR/services/$name
  [[ -x $binary ]] || die "$binary not found; run ./hotorder build (or set HOTORDER_BUILD_DIR)"
  if stack_port_in_use "$port"; then
    holder=$(stack_port_holder "$port")
    die "cannot start $name: port $port on 127.0.0.1 is already in use${holder:+ by $holder}; stop that process or set $(stack_port_variable "$name") to a free port"
  fi
  log=$(stack_log_file "$name")
  mkdir -p "$STATE_DIR/logs" "$STATE_DIR/run"
  local -a env_vars
  mapfile -t env_vars < <(stack_service_env "$name")
  # setsid: its own session, so a Ctrl-C in this terminal or the end of this script does not
  # reach it. Started from a non-interactive shell the child is no process-group leader, so
  # setsid and nohup both exec in place and $! is the service's own pid.
  echo "---- $(date -u +%FT%TZ) started by ./hotorder up ----" >>"$log"
  env "${env_vars[@]}" setsid nohup "$binary" >>"$log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$(stack_pid_file "$name")"
  say "started $name (pid $pid) on $(stack_url "$name"), log $log"
  stack_wait_ready "$name" "$pid"
}

# SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL; only for a pid that is still our binary.
stack_stop_service() {
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

stack_up() {
  stack_check_config
  local pg_dir
  pg_dir=$(stack_pg_dir)
  mkdir -p "$STATE_DIR"
  if "$ROOT/scripts/postgres.sh" status "$pg_dir" >/dev/null 2>&1; then
    say "postgres already running"
  fi
  "$ROOT/scripts/postgres.sh" start "$pg_dir" "$POSTGRES_PORT" >/dev/null \
    || die "PostgreSQL did not start (see the message above)"
  say "postgres on 127.0.0.1:$POSTGRES_PORT; applying migrations and seeding $STOCK_ROWS SKUs"
  "$ROOT/scripts/postgres.sh" migrate "$pg_dir" "$POSTGRES_PORT" "$STOCK_ROWS" \
    || die "migration failed (see the message above)"
  local name
  for name in "${STACK_SERVICES[@]}"; do stack_start_service "$name"; done
  say "HotOrder is up:"
  echo "  api-gateway        $(stack_url api-gateway)   (POST /api/orders)"
  echo "  order-service      $(stack_url order-service)"
  echo "  inventory-service  $(stack_url inventory-service)"
  echo "  postgres           $(stack_database_url)"
  echo "  logs               $STATE_DIR/logs   (./hotorder logs [service] [-f])"
}

stack_down() {
  local i
  for ((i = ${#STACK_SERVICES[@]} - 1; i >= 0; i--)); do stack_stop_service "${STACK_SERVICES[i]}"; done
  if "$ROOT/scripts/postgres.sh" status "$(stack_pg_dir)" >/dev/null 2>&1; then
    "$ROOT/scripts/postgres.sh" stop "$(stack_pg_dir)" || die "could not stop PostgreSQL"
    say "stopped postgres"
  fi
}

# One line per component; succeeds only when every one is running and ready.
stack_status() {
  local all_up=0 name pid code health pg_pid
  printf '%-18s %-9s %-48s %s\n' COMPONENT PID URL HEALTH
  if "$ROOT/scripts/postgres.sh" status "$(stack_pg_dir)" >/dev/null 2>&1; then
    pg_pid=$(head -n 1 "$(stack_pg_dir)/pgdata/postmaster.pid" 2>/dev/null || echo "?")
    printf '%-18s %-9s %-48s %s\n' postgres "$pg_pid" "$(stack_database_url)" running
  else
    printf '%-18s %-9s %-48s %s\n' postgres stopped "$(stack_database_url)" -
    all_up=1
  fi
  for name in "${STACK_SERVICES[@]}"; do
    if pid=$(stack_live_pid "$name"); then
      code=$(stack_readyz "$name")
      case $code in
        200) health=ready ;;
        000) health="unreachable"; all_up=1 ;;
        *) health="not ready (/readyz answered $code)"; all_up=1 ;;
      esac
    else
      pid=stopped
      health=-
      stack_port_in_use "$(stack_port "$name")" && health="port in use by another process"
      all_up=1
    fi
    printf '%-18s %-9s %-48s %s\n' "$name" "$pid" "$(stack_url "$name")" "$health"
  done
  return "$all_up"
}

stack_logs() {  # stack_logs LINES FOLLOW [name]
  local lines=$1 follow=$2 name=${3:-} file
  local -a files=()
  if [[ -n $name ]]; then
    case $name in
      postgres|api-gateway|order-service|inventory-service) ;;
      *) die "unknown service '$name' (api-gateway, order-service, inventory-service, postgres)" ;;
    esac
    file=$(stack_log_file "$name")
    [[ -f $file ]] || die "no log for $name yet ($file); has ./hotorder up run?"
    files=("$file")
  else
    for name in "${STACK_SERVICES[@]}" postgres; do
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
