#!/usr/bin/env bash
# `./hotorder demo`: the investigation HotOrder exists to teach, from a fresh clone to the culprit
# span. Every step is one of ./hotorder's own commands, printed before it runs, so a reader can
# replay the demo by hand:
#
#   up → baseline traffic → fault on → traffic → find slow traces in Jaeger → waterfall →
#   culprit → [missing-index: the lesson's fix, typed into psql] → traffic back to baseline →
#   fault off → [tail-sampling: what the pipeline kept] → where to look next
#
# It fails (non-zero, saying which step) when a step fails, when the fault does not show in the
# latency tail, when `explain` names anything but db.reserve-stock with its
# slow-index-scan-detected event, when latency does not come back, when (missing-index) the
# traces after the fix do not show an index scan reading a handful of rows, or when
# (tail-sampling) an error, slow or force-kept trace is missing from Jaeger. The stack stays up.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOTORDER=$ROOT/hotorder

die() { echo "hotorder demo: $*" >&2; exit 1; }

usage() {
  cat <<'USAGE'
usage: ./hotorder demo [--mode sleep|seqscan|missing-index] [--pipeline all|tail-sampling]

Builds and starts the native stack (Postgres, the three services, the real OpenTelemetry
Collector and Jaeger), then walks the slow-index-scan investigation in the terminal:
baseline traffic, the fault on for a quarter of the orders, the slow traces found in Jaeger by
minimum duration, the waterfall, the culprit span and its evidence, the fault off, latency back
to baseline. The stack is left running for you to explore (./hotorder down stops it).

  --mode sleep     (default) the reservation waits 350 ms more inside db.reserve-stock
  --mode seqscan   real: index scans are off for the reservation and Postgres scans the whole
                   stock table of STOCK_ROWS (2000000) rows for the slowed orders
  --mode missing-index
                   a real incident, for every order: the fault drops stock_sku_idx, and after
                   the investigation you apply the lesson's fix yourself,
                     ./hotorder psql -c 'CREATE INDEX CONCURRENTLY ON stock(sku);'
                   (the demo waits for you when it runs in a terminal, and types it itself when
                   it does not), then sees the traces read a handful of rows again
  --pipeline tail-sampling
                   run it all under the production pipeline (collector-config/otelcol-tail-sampling.yaml), and
                   end by counting what tail sampling kept: every error, every slow trace, every
                   trace asked for with baggage hotorder.keep=true, and its share of the rest
                   (the default, all, keeps every trace, as the lesson's local setup does)

The stack's ports and state follow the same variables as ./hotorder up.
USAGE
}

MODE=sleep
PIPELINE=all
while (($#)); do
  case $1 in
    --help|-h) usage; exit 0 ;;
    --mode)
      [[ $# -ge 2 ]] || die "--mode needs sleep, seqscan or missing-index"
      MODE=$2; shift ;;
    --mode=*) MODE=${1#--mode=} ;;
    --pipeline)
      [[ $# -ge 2 ]] || die "--pipeline needs all or tail-sampling"
      PIPELINE=$2; shift ;;
    --pipeline=*) PIPELINE=${1#--pipeline=} ;;
    *) die "unknown option '$1' (see ./hotorder demo --help)" ;;
  esac
  shift
done
[[ $MODE == sleep || $MODE == seqscan || $MODE == missing-index ]] \
  || die "--mode must be sleep, seqscan or missing-index, not '$MODE'"
[[ $PIPELINE == all || $PIPELINE == tail-sampling ]] \
  || die "--pipeline must be all or tail-sampling, not '$PIPELINE'"

# A share of the orders, not all: the lesson is that the median hides the fault and the tail
# and the trace show it. A missing index slows every order instead. The real scans burn CPU
# per slowed order, so those modes get less traffic on small machines.
FAULT_RATIO=0.25
DELAY_MS=350  # sleep mode
PHASE_SECONDS=15
WARMUP_SECONDS=3
case $MODE in
  sleep) RATE=20 ;;
  seqscan) RATE=8 ;;
  missing-index) RATE=2 ;;
esac
# The lesson's fix, as the learner types it.
LESSON_FIX='CREATE INDEX CONCURRENTLY ON stock(sku);'
# Rows a reservation of a few lines reads through an index: it locks, then updates, each line.
HANDFUL_OF_ROWS=20
STATE_DIR=${HOTORDER_STATE_DIR:-$ROOT/.hotorder}
RESULTS=$STATE_DIR/demo
JAEGER_URL=http://127.0.0.1:${JAEGER_QUERY_PORT:-16686}
METRICS_URL=http://127.0.0.1:${COLLECTOR_METRICS_PORT:-8889}/metrics
ZPAGES_URL=http://127.0.0.1:${COLLECTOR_ZPAGES_PORT:-55679}/debug/pipelinez

STEP=0
STEPS=11
[[ $MODE == missing-index ]] && STEPS=$((STEPS + 1))
[[ $PIPELINE == tail-sampling ]] && STEPS=$((STEPS + 1))
step() {
  STEP=$((STEP + 1))
  echo
  echo "━━ $STEP/$STEPS  $*"
}
# "./hotorder ARGS" as one would type it: arguments with spaces quoted.
command_line() {
  local line="./hotorder" word
  for word; do
    [[ $word == *[[:space:]]* ]] && word="'$word'"
    line+=" $word"
  done
  echo "$line"
}
# Prints a ./hotorder command, runs it, and names the step when it fails.
run() {
  echo "\$ $(command_line "$@")"
  "$HOTORDER" "$@" || die "step $STEP failed: $(command_line "$@")"
}
# Like run, with the command's stdout captured into the variable named $1 (and not printed).
capture() {
  local into=$1 output
  shift
  echo "\$ $(command_line "$@")"
  output=$("$HOTORDER" "$@") || die "step $STEP failed: $(command_line "$@")"
  printf -v "$into" '%s' "$output"
}

# One phase of traffic: `load` with its report on screen and its JSON kept for the comparison.
# A few seconds of warm-up first, not counted: a fresh stack's first orders open connections
# and read a cold table, and would stand in the tail of a phase that has only a few dozen.
traffic() {
  local name=$1
  run load --rate "$RATE" --warmup "${WARMUP_SECONDS}s" --duration "${PHASE_SECONDS}s" \
    --mix ok=100 --no-progress --json "$RESULTS/$name.json"
  local errors
  errors=$(jq '[.errors[]] | add' "$RESULTS/$name.json")
  [[ $errors == 0 ]] || die "step $STEP: $errors requests failed during the $name traffic (see the report above)"
}
latency() { jq -r ".latency_us.$2" "$RESULTS/$1.json"; }  # latency PHASE p50|p90|p99 → µs
ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }

# The recovered phase's tail is back below the slow threshold.
check_recovered() {
  local recovered_p99
  recovered_p99=$(latency recovered p99)
  ((recovered_p99 / 1000 < threshold_ms)) \
    || die "latency did not come back: p99 $(ms "$recovered_p99") after the fault, $(ms "$baseline_p99") before"
}

# The lesson's fix: typed by the learner when the demo runs in a terminal, by the demo otherwise.
index_usable() {
  local status
  status=$("$HOTORDER" fault slow-index-scan status) || return 1
  [[ $status == *"stock_sku_idx unique"* || $status == *"stock_sku_idx non-unique"* ]]
}
apply_lesson_fix() {
  echo "Every reservation reads the whole stock table because stock_sku_idx is gone. The fix:"
  echo "    ./hotorder psql -c '$LESSON_FIX'"
  if [[ -t 0 && -t 1 ]]; then
    echo "Type it in another terminal (in this folder), then press Enter here; or just press"
    echo "Enter and the demo types it for you."
    read -r -p "> " _
  fi
  if index_usable; then
    echo "stock_sku_idx is back: you fixed it."
  else
    run psql -c "$LESSON_FIX"
    index_usable || die "step $STEP: stock_sku_idx is still missing after the fix"
  fi
}

# The slowest order after the fix, from Jaeger: its reservation used the index and read a
# handful of rows, where before the fix it read the whole table.
check_reservations_use_the_index() {
  local trace_id shown reservation rows plan
  trace_id=$(jq -r '.slowest[0].trace_id // empty' "$RESULTS/recovered.json")
  [[ -n $trace_id ]] || die "step $STEP: the traffic after the fix reported no trace id"
  capture shown investigate show "$trace_id" --json --wait 10s
  reservation=$(jq -c '[.spans[] | select(.operation == "db.reserve-stock")][0] // empty' <<<"$shown")
  [[ -n $reservation ]] || die "step $STEP: trace $trace_id has no db.reserve-stock span"
  rows=$(jq -r '.attributes["db.rows_scanned"] // empty' <<<"$reservation")
  plan=$(jq -r '.attributes["db.plan"] // empty' <<<"$reservation")
  [[ $plan == *"Index Scan"* ]] || die "step $STEP: after the fix db.reserve-stock still plans '$plan'"
  [[ $rows =~ ^[0-9]+$ ]] && ((rows <= HANDFUL_OF_ROWS)) \
    || die "step $STEP: after the fix db.reserve-stock read '$rows' rows, not a handful"
  echo "The slowest order after the fix ($trace_id): db.reserve-stock read $rows rows"
  echo "($plan), where before the fix it read the whole table."
}

# sample GROUP LOAD-OPTIONS...: orders whose trace ids loadgen writes to $RESULTS/GROUP.tsv.
sample() {
  local group=$1
  shift
  run load --rate 20 --no-progress --trace-ids "$RESULTS/$group.tsv" "$@"
}
# Four groups of orders, each with its trace ids written by loadgen, then `investigate kept`
# asks Jaeger for every one. The force-kept group goes last: once its last trace is in Jaeger,
# the pipeline has decided on all the others.
count_what_tail_sampling_kept() {
  local group last kept
  sample rest --requests 200 --mix ok=100
  sample errors --requests 20 --mix unknown-sku=100
  sample slow --requests 20 --mix ok=100 --baggage hotorder.fault=slow-index-scan
  sample force-kept --requests 20 --mix ok=100 --baggage hotorder.keep=true
  last=$(tail -n 1 "$RESULTS/force-kept.tsv" | cut -f 1)
  [[ -n $last ]] || die "step $STEP: loadgen wrote no trace id"
  echo "\$ $(command_line investigate show "$last" --wait 30s) >/dev/null   # the pipeline has decided"
  "$HOTORDER" investigate show "$last" --wait 30s >/dev/null \
    || die "step $STEP: a trace sent with baggage hotorder.keep=true never reached Jaeger"
  run investigate kept errors="$RESULTS/errors.tsv" slow="$RESULTS/slow.tsv" \
    force-kept="$RESULTS/force-kept.tsv" rest="$RESULTS/rest.tsv"
  capture kept investigate kept errors="$RESULTS/errors.tsv" slow="$RESULTS/slow.tsv" \
    force-kept="$RESULTS/force-kept.tsv" rest="$RESULTS/rest.tsv" --json
  for group in errors slow force-kept; do
    jq -e --arg g "$group" '.groups[] | select(.label == $g) | .sent > 0 and .dropped == 0' \
      <<<"$kept" >/dev/null || die "step $STEP: tail sampling dropped some $group traces"
  done
  jq -e '.groups[] | select(.label == "rest") | .kept > 0 and .kept_share < 0.5' <<<"$kept" \
    >/dev/null || die "step $STEP: tail sampling did not keep a share of the fast, healthy traces"
  echo "Every error, every slow trace and every trace asked for (baggage hotorder.keep=true) was"
  echo "kept; of the fast, healthy rest about ${TAIL_SAMPLING_PERCENTAGE:-10}% was, and the others never reached Jaeger."
}

mkdir -p "$RESULTS"

step "set up and build what is missing (quick when it is all there)"
if [[ ${HOTORDER_SKIP_BUILD:-0} == 1 ]]; then
  echo "HOTORDER_SKIP_BUILD=1: using the binaries in ${HOTORDER_BUILD_DIR:-$ROOT/build}"
else
  run setup
  run build api-gateway order-service inventory-service loadgen investigate
  # Built once here, so the commands below do not each check the build again.
  export HOTORDER_SKIP_BUILD=1
fi

step "start the stack: Jaeger, the Collector, Postgres, inventory-service, order-service, api-gateway"
run up --pipeline "$PIPELINE"
# A stack left running by an earlier demo may still have the fault on.
run fault slow-index-scan off

step "baseline: ${RATE} orders/s for ${PHASE_SECONDS} s, nothing wrong yet"
traffic baseline

if [[ $MODE == missing-index ]]; then
  step "break it for everyone: the fault drops stock_sku_idx (DROP INDEX CONCURRENTLY)"
  run fault slow-index-scan on --mode missing-index
else
  step "turn the fault on for a quarter of the orders ($MODE mode)"
  run fault slow-index-scan on --mode "$MODE" --delay-ms "$DELAY_MS" --ratio "$FAULT_RATIO"
fi

step "the same traffic with the fault"
traffic fault
baseline_p99=$(latency baseline p99)
fault_p99=$(latency fault p99)
# Slow means slower than half the faulted p99; the baseline's tail must lie below that, or the
# fault did not show.
threshold_ms=$((fault_p99 / 2000))
((baseline_p99 / 1000 < threshold_ms)) \
  || die "the fault did not show: p99 $(ms "$fault_p99") with it against $(ms "$baseline_p99") without"
if [[ $MODE == missing-index ]]; then
  echo "p50 $(ms "$(latency baseline p50)") → $(ms "$(latency fault p50)"): every order is slow, for everyone."
else
  echo "p50 $(ms "$(latency baseline p50)") → $(ms "$(latency fault p50)"): the median barely moves."
fi
echo "p99 $(ms "$baseline_p99") → $(ms "$fault_p99"): the tail tells. Which part of an order is slow?"

step "find the slow traces in Jaeger: POST /api/orders slower than ${threshold_ms} ms"
# Spans reach Jaeger a second or so after a request (and tail sampling holds a trace until its
# decision wait has passed): --wait polls until they are there.
find_args=(find --service api-gateway --operation "POST /api/orders"
           --min-duration "${threshold_ms}ms" --lookback 10m --limit 5 --wait 60s)
run investigate "${find_args[@]}"
capture found investigate "${find_args[@]}" --json
trace_id=$(jq -r '.traces[0].trace_id // empty' <<<"$found")
[[ -n $trace_id ]] || die "step $STEP: Jaeger listed no slow trace (./hotorder doctor checks each hop)"

step "the waterfall of the slowest one"
run investigate show --wait 30s "$trace_id"

step "the culprit: the span with the most time of its own on the critical path"
run investigate explain --wait 30s "$trace_id"
capture explained investigate explain --wait 30s "$trace_id" --json
culprit=$(jq -r '.culprit.operation' <<<"$explained")
[[ $culprit == db.reserve-stock ]] || die "step $STEP: explain named '$culprit', not db.reserve-stock"
jq -e '.culprit.events | any(.name == "slow-index-scan-detected")' <<<"$explained" >/dev/null \
  || die "step $STEP: db.reserve-stock has no slow-index-scan-detected event"
evidence() {  # evidence KEY: an attribute of the culprit's slow-index-scan-detected event
  jq -r --arg key "$1" '.culprit.events[] | select(.name == "slow-index-scan-detected")
                        | .attributes[$key] // empty' <<<"$explained"
}
share=$(jq -r '.culprit.share * 100 | floor' <<<"$explained")
echo "Found it: inventory-service's db.reserve-stock holds ${share}% of the order. Its event"
if [[ $MODE != sleep ]]; then
  echo "slow-index-scan-detected says Postgres read $(evidence db.rows_scanned) rows of stock in"
  echo "$(evidence db.seq_scans) scans ($(evidence db.plan)) instead of using $(evidence db.index)."
else
  echo "slow-index-scan-detected says the stock lookup scans about $(evidence db.rows_scanned) rows"
  echo "instead of using $(evidence db.index) (sleep mode simulates that with a ${DELAY_MS} ms wait;"
  echo "--mode seqscan makes Postgres really do it)."
fi

if [[ $MODE == missing-index ]]; then
  step "your turn: the lesson's fix, the index back (CREATE INDEX CONCURRENTLY: orders keep flowing)"
  apply_lesson_fix
  step "the same traffic, the fault still on: does the index bring the latency back?"
  traffic recovered
  check_recovered
  check_reservations_use_the_index
  step "turn the fault off: stock_sku_idx ends valid and unique, as the schema has it"
  capture status fault slow-index-scan off
  echo "$status"
  [[ $status == *"stock_sku_idx unique"* ]] || die "step $STEP: the index is not unique again: $status"
else
  step "turn the fault off"
  run fault slow-index-scan off
  step "the same traffic again"
  traffic recovered
  check_recovered
fi
printf '\n%-12s %12s %12s %12s\n' "" p50 p90 p99
for phase in baseline fault recovered; do
  printf '%-12s %12s %12s %12s\n' "$phase" "$(ms "$(latency "$phase" p50)")" \
    "$(ms "$(latency "$phase" p90)")" "$(ms "$(latency "$phase" p99)")"
done

if [[ $PIPELINE == tail-sampling ]]; then
  step "what tail sampling kept: trace ids sent against trace ids found in Jaeger"
  count_what_tail_sampling_kept
fi

step "explore: the stack stays up"
cat <<EOF
  The slow trace    ./hotorder investigate show $trace_id
                    $JAEGER_URL/api/traces/$trace_id
  Jaeger            $JAEGER_URL  (the query API: a Jaeger built from Go modules has no web UI)
  Span metrics      $METRICS_URL  (request rates and latency histograms per span, with exemplars)
  Collector zpages  $ZPAGES_URL
  More              ./hotorder status · ./hotorder doctor · ./hotorder fault --help · ./hotorder load --help
  Stop it all       ./hotorder down
EOF
