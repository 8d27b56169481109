#!/usr/bin/env bash
# ./hotorder bench system: HotOrder end to end, judged against a floor.
#
# The floor (bench/floor, `floor_chain`) does HotOrder's essential work as directly as C++ and
# libpq allow: the same three loopback keep-alive hops, the same rows written and the same
# commits (fsyncs) per order, and nothing else. Against the same Postgres, this script measures
#   1. in interleaved rounds, four systems at a light fixed rate and at saturation: the floor;
#      HotOrder untraced; HotOrder with 100% sampling exporting to a null OTLP sink
#      (`floor_chain otlp-sink`: the services' own cost of tracing); HotOrder exporting to a real
#      OpenTelemetry Collector and on to Jaeger (what the whole stack on two cores sees). Odd
#      rounds run them in that order, even rounds in reverse; every comparison is made within a
#      round and reported as the median over the rounds with its spread;
#   2. loadgen against wrk on a trivial endpoint, so the figures above can be trusted to be
#      HotOrder's and not the load generator's.
#
# Usage: ./hotorder bench system [--quick] [--allow-dirty]
#        (or from anywhere: scripts/bench-system.sh [--quick] [--allow-dirty])
#   (none)         the full run (about 9 minutes): writes build/bench/system.json and regenerates
#                  bench/results.md, naming the commit it measured. Refuses to run on a work tree
#                  with uncommitted changes (`git status --porcelain`).
#   --allow-dirty  a full run on uncommitted changes, for development: its Markdown says so and
#                  goes to build/bench/results.md; bench/results.md is left alone.
#   --quick        the same steps, two rounds of short runs at low rates (about 75 s): checks the
#                  harness end to end. Writes build/bench/quick/system.json and results-quick.md
#                  (never bench/results.md), and fails when a step fails or any figure is missing.
# Environment:
#   HOTORDER_BUILD_DIR      build tree (default build/); output under $HOTORDER_BUILD_DIR/bench/
#   HOTORDER_SKIP_BUILD     1: use the binaries as they are instead of building them first
#   OTELCOL_BIN, JAEGER_BIN the Collector and Jaeger (default: the cached builds)
#
# Who does what: scripts/stack.sh owns every process of the stack (Postgres, Jaeger, the
# Collector, the services), here on free ports with its state in build/bench/[quick/]state.
# This script only sequences commands and records raw facts in the run folder
# (build/bench/[quick/]system-runs: facts.env, loadgen's JSON reports, wrk's and pg_test_fsync's
# output, the services' logs); bench_report (bench/report) computes every figure from them and
# writes system.json and the Markdown. Everything started here is stopped on exit, also after a
# failure or an interrupt.
set -euo pipefail
# Functions called in $(...) must stop at their first failure too (bash does not pass -e on).
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$(realpath -m "${HOTORDER_BUILD_DIR:-$ROOT/build}")
STACK=$ROOT/scripts/stack.sh
LOADGEN=$BUILD_DIR/loadgen/loadgen
FLOOR=$BUILD_DIR/bench/floor_chain
REPORT=$BUILD_DIR/bench/bench_report

say() { echo "==> $*"; }
warn() { echo "bench-system: warning: $*" >&2; }
die() { echo "bench-system: $*" >&2; exit 1; }
usage() { sed -n '/^# Usage:/,/^#   OTELCOL_BIN/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

QUICK=0 ALLOW_DIRTY=0
while (($#)); do
  case $1 in
    --quick) QUICK=1 ;;
    --allow-dirty) ALLOW_DIRTY=1 ;;
    --help|-h) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done

# The workload. Light: a fixed rate far below saturation, so latency is service time, not
# queueing. Saturation: a closed loop with enough connections to keep every hop busy. The
# targets the figures are judged against are bench_report's (bench/report/system_report.hpp).
if ((QUICK)); then
  OUT_DIR=$BUILD_DIR/bench/quick
  ROUNDS=2
  LIGHT_RATE=50 LIGHT_DURATION=2s SATURATION_CONCURRENCY=8 SATURATION_DURATION=2s WARMUP=1s
  STOCK_ROWS=10000 COMPARE_DURATION=1s COMPARE_ROUNDS=2 OPEN_LOOP_RATE=2000
  FSYNC_SECONDS=1    # pg_test_fsync -s: seconds per test
  RUN_DEADLINE=30    # a loadgen or wrk run that takes longer has hung
else
  OUT_DIR=$BUILD_DIR/bench
  ROUNDS=5           # a median of five, and each system first or last in some round
  LIGHT_RATE=200 LIGHT_DURATION=10s SATURATION_CONCURRENCY=32 SATURATION_DURATION=8s WARMUP=2s
  STOCK_ROWS=100000 COMPARE_DURATION=10s COMPARE_ROUNDS=2 OPEN_LOOP_RATE=20000
  FSYNC_SECONDS=2
  RUN_DEADLINE=90    # the longest run is 20 s
fi
RUN_DIR=$OUT_DIR/system-runs   # the raw facts of this run, and every log
STATE_DIR=$OUT_DIR/state       # the stack's state (scripts/stack.sh): Postgres, logs, pid files
FACTS=$RUN_DIR/facts.env

# --- the bench's own processes (floor_chain: the floor, the OTLP sink, the echo server; pg_test_fsync, loadgen, wrk)
declare -A STARTED_PIDS=()  # name -> pid, stopped by the EXIT trap
STACK_USED=0                # 1 once scripts/stack.sh may have started something
STEP="start-up"             # named when the run fails

step() { STEP=$1; }

# start_background NAME COMMAND...: runs COMMAND with its output in $RUN_DIR/NAME.log. (fd 9 is
# the run's lock: only this script holds it.)
start_background() {
  local name=$1; shift
  "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null 9>&- &
  STARTED_PIDS[$name]=$!
}

# SIGTERM, then SIGKILL after a deadline; only a pid we started and that is still running.
stop_background() {
  local name=$1 pid deadline
  pid=${STARTED_PIDS[$name]:-}
  [[ -n $pid ]] || return 0
  unset "STARTED_PIDS[$name]"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      warn "$name (pid $pid) ignored SIGTERM for 15s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
}
background_running() { kill -0 "${STARTED_PIDS[$1]}" 2>/dev/null; }

# run_bounded SECONDS OUTPUT COMMAND...: runs COMMAND with its output in OUTPUT, killed after
# SECONDS. In the background and waited for, so a Ctrl-C or SIGTERM reaches the EXIT trap at
# once (bash defers traps while a foreground child runs), and the trap stops it too.
run_bounded() {
  local seconds=$1 output=$2 status=0; shift 2
  timeout --kill-after=5 "$seconds" "$@" >"$output" 2>&1 </dev/null 9>&- &
  STARTED_PIDS[bounded]=$!
  wait "$!" || status=$?
  unset "STARTED_PIDS[bounded]"
  return "$status"
}

# Waits until something accepts connections on 127.0.0.1:$1, failing when process $2 dies.
wait_listening() {
  local port=$1 name=$2 deadline=$((SECONDS + 20))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    background_running "$name" || { tail -n 20 "$RUN_DIR/$name.log" >&2; die "$name exited during start-up"; }
    ((SECONDS < deadline)) || { tail -n 20 "$RUN_DIR/$name.log" >&2; die "$name did not listen on port $port in time"; }
    sleep 0.1
  done
}

# --- the stack: scripts/stack.sh, configured by the environment configure_stack exports ------
# stack COMMAND [NAME...]: its output goes to stack.log; a failure stops the bench.
stack() {
  STACK_USED=1
  if ! "$STACK" "$@" >>"$RUN_DIR/stack.log" 2>&1 9>&-; then
    tail -n 30 "$RUN_DIR/stack.log" >&2
    die "scripts/stack.sh $* failed (log: $RUN_DIR/stack.log)"
  fi
}

cleanup() {
  local status=$? name
  trap - EXIT INT TERM
  for name in "${!STARTED_PIDS[@]}"; do stop_background "$name"; done
  if ((STACK_USED)); then
    "$STACK" down >>"$RUN_DIR/stack.log" 2>&1 9>&- \
      || warn "scripts/stack.sh down failed; see $RUN_DIR/stack.log"
  fi
  if ((status > 128)); then
    echo "bench-system: interrupted during step '$STEP'; everything it started is stopped" >&2
  elif ((status != 0)); then
    echo "bench-system: step '$STEP' failed; logs in $RUN_DIR" >&2
  fi
  exit "$status"
}

# free_port VAR: sets VAR to a TCP port no socket on this machine uses, below the ephemeral
# range (a port the kernel may hand to an outgoing connection can be taken by the time a
# server binds it), and never one handed out before in this run. A variable, not output: the
# record of chosen ports must survive, which it would not in a $(...) subshell.
declare -A CHOSEN_PORTS=()
free_port() {
  # Prefixed names: bash scoping is dynamic, so a local called like the caller's variable
  # would receive the port instead of it.
  local _free_port _tries
  for ((_tries = 0; _tries < 500; _tries++)); do
    _free_port=$((20000 + RANDOM % 12000))
    [[ -z ${CHOSEN_PORTS[$_free_port]:-} ]] || continue
    [[ -z $(ss -Htan "( sport = :$_free_port )" 2>/dev/null) ]] || continue
    CHOSEN_PORTS[$_free_port]=1
    printf -v "$1" '%s' "$_free_port"
    return 0
  done
  die "no free port found in 20000-31999"
}

# Every port of the stack a free one, its state under the build folder, the Collector pipeline
# that keeps every span, and a Jaeger that keeps every trace of the run.
configure_stack() {
  local variable
  for variable in GATEWAY_PORT ORDER_SERVICE_PORT INVENTORY_SERVICE_PORT POSTGRES_PORT \
      JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_OTLP_GRPC_PORT JAEGER_OTLP_HTTP_PORT \
      JAEGER_HEALTH_PORT COLLECTOR_OTLP_GRPC_PORT COLLECTOR_OTLP_HTTP_PORT COLLECTOR_HEALTH_PORT \
      COLLECTOR_ZPAGES_PORT COLLECTOR_METRICS_PORT; do
    free_port "$variable"
    export "$variable"
  done
  export HOTORDER_STATE_DIR=$STATE_DIR HOTORDER_BUILD_DIR=$BUILD_DIR STOCK_ROWS
  export COLLECTOR_CONFIG=otelcol-all.yaml COLLECTOR_DEBUG_VERBOSITY=basic
  export JAEGER_MAX_TRACES=200000     # a saturation run makes some tens of thousands
  export HOTORDER_STOP_TIMEOUT=20     # a traced service flushes its last spans on the way out
}

# The services, in start order (stack.sh stops them in the order given: the reverse).
SERVICES=(inventory-service order-service api-gateway)
SERVICES_PHASE=""

# start_services PHASE: the three services, with the OTEL_* environment of the moment, and the
# orders stored so far (spans per order are counted over the phase's processes' whole life).
start_services() {
  SERVICES_PHASE=$1
  step "start the services ($1)"
  stack start "${SERVICES[@]}"
  fact "$1.orders_at_start" "$(orders_count)"
}

# Stops the three services but not Postgres (so its caches stay warm). SIGTERM makes each write
# its "tracing totals" log line on the way out; the logs of the phase then move to
# $RUN_DIR/logs/PHASE/, so the next processes start fresh ones.
stop_services() {
  local name
  fact "$SERVICES_PHASE.orders_at_stop" "$(orders_count)"
  step "stop the services ($SERVICES_PHASE)"
  stack stop api-gateway order-service inventory-service
  mkdir -p "$RUN_DIR/logs/$SERVICES_PHASE"
  for name in "${SERVICES[@]}"; do
    if [[ -f $STATE_DIR/logs/$name.log ]]; then
      mv "$STATE_DIR/logs/$name.log" "$RUN_DIR/logs/$SERVICES_PHASE/$name.log"
    fi
  done
}

# --- raw facts (facts.env; bench_report reads them) -----------------------------------------
fact() { printf '%s=%s\n' "$1" "$2" >>"$FACTS"; }

record_machine() {
  lscpu >"$RUN_DIR/lscpu.txt"
  cat /proc/meminfo >"$RUN_DIR/meminfo.txt"
  fact cores "$(nproc)"
  fact kernel "$(uname -r)"
  fact clk_tck "$(getconf CLK_TCK)"
}

# record_cpu RUN WHEN PROCESS...: each process's /proc/<pid>/stat line (utime and stime: its
# CPU so far). A process is one this script started (the OTLP sink) or one of the stack's.
record_cpu() {
  local run=$1 when=$2 name pid stat
  shift 2
  for name in "$@"; do
    pid=${STARTED_PIDS[$name]:-}
    if [[ -z $pid ]]; then
      pid=$("$STACK" pid "$name" 9>&-) || die "$name is not running (run $run)"
    fi
    IFS= read -r stat <"/proc/$pid/stat" || die "$name (pid $pid) exited (run $run)"
    fact "$run.cpu_$when.$name" "$stat"
  done
}

orders_count() {
  PGCONNECT_TIMEOUT=10 "$PG_BINDIR/psql" -X -q -At -h 127.0.0.1 -p "$POSTGRES_PORT" -U hotorder \
    -d hotorder -c "SELECT count(*) FROM orders"
}

# pg_test_fsync on the filesystem of the bench's Postgres data: every order waits for two
# fdatasyncs (one per commit), in the floor as in HotOrder. Only the first section's fdatasync
# line is needed, so the tool is stopped once that is out (the whole tool takes over 30 s).
measure_fsync() {
  local test_file=$STATE_DIR/pg_test_fsync.tmp deadline=$((SECONDS + 60))
  step "pg_test_fsync"
  start_background pg_test_fsync "$PG_BINDIR/pg_test_fsync" -s "$FSYNC_SECONDS" -f "$test_file"
  # The whole line: the name is printed before the test runs, the figure after.
  until grep -qE '^[[:space:]]+fdatasync[[:space:]].*usecs/op' "$RUN_DIR/pg_test_fsync.log"; do
    background_running pg_test_fsync && ((SECONDS < deadline)) || break
    sleep 0.2
  done
  stop_background pg_test_fsync
  rm -f "$test_file"
}

# --- load -----------------------------------------------------------------------------------
# run_loadgen NAME URL ARGS...: one loadgen run, its JSON report in $RUN_DIR/NAME.json.
# PIN_CORE=N (environment) runs it on core N only.
run_loadgen() {
  local name=$1 url=$2; shift 2
  local report=$RUN_DIR/$name.json
  local -a runner=("$LOADGEN")
  if [[ -n ${PIN_CORE:-} ]]; then runner=(taskset -c "$PIN_CORE" "$LOADGEN"); fi
  step "loadgen $name"
  say "loadgen $name: $*${PIN_CORE:+ (core $PIN_CORE)}"
  if ! run_bounded "$RUN_DEADLINE" "$RUN_DIR/$name.txt" "${runner[@]}" "$@" --no-progress \
      --json "$report" "$url"; then
    cat "$RUN_DIR/$name.txt" >&2
    die "loadgen run '$name' failed"
  fi
  # One line about the run; fails when it has no report or no successful request.
  "$REPORT" run "$name" "$report" || die "loadgen run '$name' measured nothing (see $RUN_DIR/$name.txt)"
}

run_light() {  # run_light NAME URL
  run_loadgen "$1" "$2" --rate "$LIGHT_RATE" --duration "$LIGHT_DURATION" --warmup "$WARMUP" \
    --mix ok=100 --skus "$STOCK_ROWS"
}

run_saturation() {  # run_saturation NAME URL
  run_loadgen "$1" "$2" --concurrency "$SATURATION_CONCURRENCY" --duration "$SATURATION_DURATION" \
    --warmup "$WARMUP" --mix ok=100 --skus "$STOCK_ROWS"
}

# One saturation run with the CPU time of the services and of BACKEND (the processes the spans
# go to) and the orders stored around it (every 201 stores one order, so the orders' count is
# the exact number of requests served, warm-up included, which loadgen's report, measured part
# only, is not).
BACKEND=()
run_measured_saturation() {  # run_measured_saturation RUN URL
  local run=$1
  record_cpu "$run" before "${SERVICES[@]}" "${BACKEND[@]}"
  fact "$run.orders_before" "$(orders_count)"
  run_saturation "$run" "$2"
  record_cpu "$run" after "${SERVICES[@]}" "${BACKEND[@]}"
  fact "$run.orders_after" "$(orders_count)"
}

# --- the floor ------------------------------------------------------------------------------
start_floor() {
  local database=postgresql://hotorder@127.0.0.1:$POSTGRES_PORT/hotorder back middle
  step "start the floor"
  free_port back; free_port middle; free_port FLOOR_PORT
  start_background floor-back "$FLOOR" back --listen "$back" --database "$database"
  start_background floor-middle "$FLOOR" middle --listen "$middle" --next "$back" --database "$database"
  start_background floor-front "$FLOOR" front --listen "$FLOOR_PORT" --next "$middle"
  wait_listening "$back" floor-back
  wait_listening "$middle" floor-middle
  wait_listening "$FLOOR_PORT" floor-front
}

stop_floor() {
  stop_background floor-front
  stop_background floor-middle
  stop_background floor-back
}

# The null OTLP backend: answers every export with an empty ExportTraceServiceResponse and
# counts what it received (written to otlp-sink.log when it stops).
start_sink() {
  local port
  step "start the OTLP sink"
  free_port port
  start_background otlp-sink "$FLOOR" otlp-sink --listen "$port"
  wait_listening "$port" otlp-sink
  SINK_URL=http://127.0.0.1:$port
}

# --- the systems ----------------------------------------------------------------------------
SYSTEMS=(floor untraced sink collector)

# measure_system SYSTEM ROUND: its light run and its saturation run. HotOrder's systems run on
# services started for them (the SDK reads OTEL_* once, at start) and stopped after them.
measure_system() {
  local system=$1 round=$2 url=$GATEWAY_URL
  say "round $round: $system"
  case $system in
    floor)
      run_light "floor-light-$round" "$FLOOR_URL"
      run_saturation "floor-saturation-$round" "$FLOOR_URL"
      return ;;
    untraced)
      export OTEL_SDK_DISABLED=true
      unset OTEL_EXPORTER_OTLP_ENDPOINT
      BACKEND=() ;;
    sink)
      export OTEL_SDK_DISABLED=false OTEL_TRACES_SAMPLER=always_on OTEL_EXPORTER_OTLP_ENDPOINT=$SINK_URL
      BACKEND=(otlp-sink) ;;
    collector)
      export OTEL_SDK_DISABLED=false OTEL_TRACES_SAMPLER=always_on
      unset OTEL_EXPORTER_OTLP_ENDPOINT  # the stack's default: the Collector
      BACKEND=(otelcol jaeger) ;;
    *) die "unknown system '$system'" ;;
  esac
  start_services "$system-$round"
  run_light "$system-light-$round" "$url"
  run_measured_saturation "$system-saturation-$round" "$url"
  stop_services
}

# --- loadgen against wrk --------------------------------------------------------------------
# Each client alone on core 0, the echo server alone on core 1 (floor_chain echo: one epoll
# thread, so it outruns either client and the comparison is client against client). Interleaved
# rounds, each client's best counted: the cores are shared with whatever else runs on the
# machine, and a neighbour's burst should not decide the ratio.
compare_with_wrk() {
  local port url round
  step "start the echo server"
  free_port port
  start_background echo taskset -c 1 "$FLOOR" echo --listen "$port"
  wait_listening "$port" echo
  url=http://127.0.0.1:$port
  for ((round = 1; round <= COMPARE_ROUNDS; round++)); do
    step "wrk-$round"
    say "wrk-$round: wrk -t1 -c64 -d$COMPARE_DURATION (core 0) against floor_chain echo (core 1)"
    run_bounded "$RUN_DEADLINE" "$RUN_DIR/wrk-$round.txt" taskset -c 0 wrk -t1 -c64 \
      -d"$COMPARE_DURATION" "$url/" || { cat "$RUN_DIR/wrk-$round.txt" >&2; die "wrk failed"; }
    "$REPORT" wrk "$RUN_DIR/wrk-$round.txt" || { cat "$RUN_DIR/wrk-$round.txt" >&2; die "wrk measured nothing"; }
    PIN_CORE=0 run_loadgen "loadgen-closed-$round" "$url" --concurrency 64 \
      --duration "$COMPARE_DURATION" --mix get=100
  done
  PIN_CORE=0 run_loadgen loadgen-open "$url" --rate "$OPEN_LOOP_RATE" \
    --duration "$COMPARE_DURATION" --mix get=100
  stop_background echo
}

# --- before anything starts -----------------------------------------------------------------
require() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool is required but not installed (./hotorder setup)"; done
}

# Sets COMMIT and DIRTY. bench/results.md names the commit it measured, so a full run refuses
# uncommitted changes (untracked files included; what .gitignore covers, such as the build
# folders, does not count) unless --allow-dirty.
check_work_tree() {
  local changes
  if ! COMMIT=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null); then
    ((QUICK)) || die "cannot tell which commit this measures: $ROOT is not a git work tree"
    COMMIT=unknown DIRTY=1
    return
  fi
  changes=$(git -C "$ROOT" status --porcelain) || die "git status failed in $ROOT"
  DIRTY=0
  [[ -z $changes ]] || DIRTY=1
  if ((DIRTY && !QUICK && !ALLOW_DIRTY)); then
    head -n 20 <<<"$changes" >&2
    die "the work tree has uncommitted changes (above), and bench/results.md must name the commit it measured. Commit them first, or pass --allow-dirty for a development run (its Markdown then goes to $OUT_DIR/results.md)."
  fi
}

build_if_needed() {
  step "build"
  if [[ ${HOTORDER_SKIP_BUILD:-0} == 1 ]]; then
    say "HOTORDER_SKIP_BUILD=1: using the binaries in $BUILD_DIR as they are"
  else
    say "building loadgen, floor_chain, the services and bench_report"
    HOTORDER_BUILD_DIR=$BUILD_DIR "$ROOT/hotorder" build loadgen floor_chain api-gateway \
        order-service inventory-service bench_report >"$RUN_DIR/build.log" 2>&1 9>&- \
      || { tail -n 40 "$RUN_DIR/build.log" >&2; die "the build failed (log: $RUN_DIR/build.log)"; }
  fi
  local binary
  for binary in "$LOADGEN" "$FLOOR" "$REPORT" "$BUILD_DIR"/services/{api-gateway,order-service,inventory-service}; do
    [[ -x $binary ]] || die "$binary is missing; run ./hotorder build"
  done
}

# --- the run --------------------------------------------------------------------------------
main() {
  require ss taskset wrk lscpu timeout getconf flock git curl
  PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [[ -x $PG_BINDIR/pg_test_fsync && -x $PG_BINDIR/psql ]] \
    || die "PostgreSQL's binaries (pg_test_fsync, psql) not found under /usr/lib/postgresql; run ./hotorder setup"
  check_work_tree
  local results_md=$ROOT/bench/results.md
  if ((QUICK)); then
    results_md=$OUT_DIR/results-quick.md
  elif ((DIRTY)); then
    results_md=$OUT_DIR/results.md
    warn "uncommitted changes (--allow-dirty): the Markdown goes to $results_md, not bench/results.md"
  fi

  mkdir -p "$OUT_DIR"
  # One run at a time per output folder: two would share the stack's state.
  exec 9>"$OUT_DIR/.lock"
  flock -n 9 || die "another bench run is using $OUT_DIR"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # The run must be durable and untraced like a real deployment, whatever the caller's shell
  # exported: no OTEL_* settings, fault injection, debug logging, or another database.
  local variable
  for variable in $(compgen -e OTEL_) $(compgen -e FAULT_); do unset "$variable"; done
  unset POSTGRES_EXTRA_OPTS DATABASE_URL LOG_LEVEL

  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
  build_if_needed

  configure_stack
  # A fresh database every run, so no run inherits the orders or reserved stock of the last.
  if [[ -d $STATE_DIR ]]; then
    step "stop a previous run's stack"
    stack down
    rm -rf "$STATE_DIR"
  fi

  step "record the machine"
  fact mode "$( ((QUICK)) && echo quick || echo full )"
  fact date "$(date -u +%FT%TZ)"
  fact commit "$COMMIT"
  fact uncommitted_changes "$DIRTY"
  record_machine
  fact stock_rows "$STOCK_ROWS"
  fact light_rate "$LIGHT_RATE"
  fact light_duration "$LIGHT_DURATION"
  fact warmup "$WARMUP"
  fact saturation_concurrency "$SATURATION_CONCURRENCY"
  fact saturation_duration "$SATURATION_DURATION"
  fact compare_duration "$COMPARE_DURATION"
  fact compare_rounds "$COMPARE_ROUNDS"
  fact open_loop_rate "$OPEN_LOOP_RATE"
  fact rounds "$ROUNDS"
  fact systems "${SYSTEMS[*]}"   # bench_report checks it knows the same systems

  say "starting Postgres (on $POSTGRES_PORT), the floor, the OTLP sink, the Collector and Jaeger"
  step "start postgres"
  stack start postgres
  measure_fsync
  start_floor
  start_sink
  step "start the tracing backend"
  stack start jaeger otelcol
  GATEWAY_URL=http://127.0.0.1:$GATEWAY_PORT FLOOR_URL=http://127.0.0.1:$FLOOR_PORT

  local round index system
  local -a order
  for ((round = 1; round <= ROUNDS; round++)); do
    order=("${SYSTEMS[@]}")
    if ((round % 2 == 0)); then
      order=()
      for ((index = ${#SYSTEMS[@]} - 1; index >= 0; index--)); do order+=("${SYSTEMS[index]}"); done
    fi
    for system in "${order[@]}"; do measure_system "$system" "$round"; done
  done
  step "stop the floor and the OTLP sink"
  stop_floor
  stop_background otlp-sink

  # Nothing else may run during the client comparison.
  step "stop the stack"
  stack down
  STACK_USED=0

  say "loadgen against wrk"
  compare_with_wrk

  step "report"
  local -a strict=()
  ((QUICK)) && strict=(--strict)
  "$REPORT" report "$RUN_DIR" --json "$OUT_DIR/system.json" --markdown "$results_md" "${strict[@]}" \
    || die "bench_report could not produce the report from $RUN_DIR"
  say "done in ${SECONDS}s: $OUT_DIR/system.json and $results_md"
}

main
