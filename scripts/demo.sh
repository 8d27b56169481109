#!/usr/bin/env bash
# `./hotorder demo`: the investigation HotOrder exists to teach, from a fresh clone to the culprit
# span. Every step is one of ./hotorder's own commands, printed before it runs, so a reader can
# replay the demo by hand:
#
#   up → baseline traffic → fault on → traffic → find slow traces in Jaeger → waterfall →
#   culprit → fault off → traffic back to baseline → where to look next
#
# It fails (non-zero, saying which step) when a step fails, when the fault does not show in the
# latency tail, when `explain` names anything but db.reserve-stock with its
# slow-index-scan-detected event, or when latency does not come back. The stack stays up.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOTORDER=$ROOT/hotorder

die() { echo "hotorder demo: $*" >&2; exit 1; }

usage() {
  cat <<'USAGE'
usage: ./hotorder demo [--mode sleep|seqscan]

Builds and starts the native stack (Postgres, the three services, the real OpenTelemetry
Collector and Jaeger), then walks the slow-index-scan investigation in the terminal:
baseline traffic, the fault on for a quarter of the orders, the slow traces found in Jaeger by
minimum duration, the waterfall, the culprit span and its evidence, the fault off, latency back
to baseline. The stack is left running for you to explore (./hotorder down stops it).

  --mode sleep     (default) the reservation waits 350 ms more inside db.reserve-stock
  --mode seqscan   real: index scans are off for the reservation and Postgres scans the whole
                   stock table; STOCK_ROWS defaults to 1000000 for it (0.3-0.5 s a reservation)

The stack's ports and state follow the same variables as ./hotorder up.
USAGE
}

MODE=sleep
while (($#)); do
  case $1 in
    --help|-h) usage; exit 0 ;;
    --mode)
      [[ $# -ge 2 ]] || die "--mode needs sleep or seqscan"
      MODE=$2; shift ;;
    --mode=*) MODE=${1#--mode=} ;;
    *) die "unknown option '$1' (see ./hotorder demo --help)" ;;
  esac
  shift
done
[[ $MODE == sleep || $MODE == seqscan ]] || die "--mode must be sleep or seqscan, not '$MODE'"

# A share of the orders, not all: the lesson is that the median hides the fault and the tail
# and the trace show it. The seqscan mode burns real CPU per slowed order, so it gets less
# traffic on small machines.
FAULT_RATIO=0.25
DELAY_MS=350  # sleep mode
PHASE_SECONDS=15
if [[ $MODE == seqscan ]]; then
  RATE=8
  export STOCK_ROWS=${STOCK_ROWS:-1000000}
else
  RATE=20
fi
STATE_DIR=${HOTORDER_STATE_DIR:-$ROOT/.hotorder}
RESULTS=$STATE_DIR/demo
JAEGER_URL=http://127.0.0.1:${JAEGER_QUERY_PORT:-16686}
METRICS_URL=http://127.0.0.1:${COLLECTOR_METRICS_PORT:-8889}/metrics
ZPAGES_URL=http://127.0.0.1:${COLLECTOR_ZPAGES_PORT:-55679}/debug/pipelinez

STEP=0
STEPS=11
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
traffic() {
  local name=$1
  run load --rate "$RATE" --duration "${PHASE_SECONDS}s" --mix ok=100 --no-progress \
    --json "$RESULTS/$name.json"
  local errors
  errors=$(jq '[.errors[]] | add' "$RESULTS/$name.json")
  [[ $errors == 0 ]] || die "step $STEP: $errors requests failed during the $name traffic (see the report above)"
}
latency() { jq -r ".latency_us.$2" "$RESULTS/$1.json"; }  # latency PHASE p50|p90|p99 → µs
ms() { awk -v us="$1" 'BEGIN { printf "%.1f ms", us / 1000 }'; }

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
run up
# A stack left running by an earlier demo may still have the fault on.
run fault slow-index-scan off

step "baseline: ${RATE} orders/s for ${PHASE_SECONDS} s, nothing wrong yet"
traffic baseline

step "turn the fault on for a quarter of the orders ($MODE mode)"
run fault slow-index-scan on --mode "$MODE" --delay-ms "$DELAY_MS" --ratio "$FAULT_RATIO"

step "the same traffic with the fault"
traffic fault
baseline_p99=$(latency baseline p99)
fault_p99=$(latency fault p99)
# Slow means slower than half the faulted p99; the baseline's tail must lie below that, or the
# fault did not show.
threshold_ms=$((fault_p99 / 2000))
((baseline_p99 / 1000 < threshold_ms)) \
  || die "the fault did not show: p99 $(ms "$fault_p99") with it against $(ms "$baseline_p99") without"
echo "p50 $(ms "$(latency baseline p50)") → $(ms "$(latency fault p50)"): the median barely moves."
echo "p99 $(ms "$baseline_p99") → $(ms "$fault_p99"): the tail tells. Which part of an order is slow?"

step "find the slow traces in Jaeger: POST /api/orders slower than ${threshold_ms} ms"
# Tail sampling holds a trace until its decision wait has passed: --wait polls until it is there.
find_args=(find --service api-gateway --operation "POST /api/orders"
           --min-duration "${threshold_ms}ms" --lookback 10m --limit 5 --wait 60s)
run investigate "${find_args[@]}"
capture found investigate "${find_args[@]}" --json
trace_id=$(jq -r '.traces[0].trace_id // empty' <<<"$found")
[[ -n $trace_id ]] || die "step $STEP: Jaeger listed no slow trace (./hotorder doctor checks each hop)"

step "the waterfall of the slowest one"
run investigate show "$trace_id"

step "the culprit: the span with the most time of its own on the critical path"
run investigate explain "$trace_id"
capture explained investigate explain "$trace_id" --json
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
if [[ $MODE == seqscan ]]; then
  echo "slow-index-scan-detected says Postgres read $(evidence db.rows_scanned) rows of stock in"
  echo "$(evidence db.seq_scans) scans ($(evidence db.plan)) instead of using $(evidence db.index)."
else
  echo "slow-index-scan-detected says the stock lookup scans about $(evidence db.rows_scanned) rows"
  echo "instead of using $(evidence db.index) (sleep mode simulates that with a ${DELAY_MS} ms wait;"
  echo "--mode seqscan makes Postgres really do it)."
fi

step "turn the fault off"
run fault slow-index-scan off

step "the same traffic again"
traffic recovered
recovered_p99=$(latency recovered p99)
((recovered_p99 / 1000 < threshold_ms)) \
  || die "latency did not come back: p99 $(ms "$recovered_p99") after the fault, $(ms "$baseline_p99") before"
printf '\n%-12s %12s %12s %12s\n' "" p50 p90 p99
for phase in baseline fault recovered; do
  printf '%-12s %12s %12s %12s\n' "$phase" "$(ms "$(latency "$phase" p50)")" \
    "$(ms "$(latency "$phase" p90)")" "$(ms "$(latency "$phase" p99)")"
done

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
