# shellcheck shell=bash
# `./hotorder doctor`: checks each hop of the tracing path of the native stack (or, with
# --compose, of the compose stack through its published ports) and says which one is broken.
# Sourced by ./hotorder after scripts/stack.sh (ports, URLs, pid files); it only defines functions.
#
# "No traces in Jaeger" is the most common problem of a tracing demo, and every hop can cause it:
#   services --(OTEL_EXPORTER_OTLP_ENDPOINT)--> Collector --(tail sampling, otlp_grpc)--> Jaeger
# so the checks go from the ends inwards: is each part up; does a span posted straight to the
# Collector reach Jaeger; does a real order's trace, made by all three services, reach it.
# Both probes are traces tail sampling keeps (status ERROR): the check never depends on luck.

DOCTOR_SERVICES=(api-gateway order-service inventory-service)

# Seconds: TAIL_SAMPLING_DECISION_WAIT as a whole number ("5s", "1500ms", "1m"); $2 when it is
# not one of those forms.
doctor_seconds() {
  local text=$1 fallback=$2
  if [[ $text =~ ^([0-9]+)ms$ ]]; then echo $(((BASH_REMATCH[1] + 999) / 1000))
  elif [[ $text =~ ^([0-9]+)s$ ]]; then echo "${BASH_REMATCH[1]}"
  elif [[ $text =~ ^([0-9]+)m$ ]]; then echo $((BASH_REMATCH[1] * 60))
  else echo "$fallback"
  fi
}

# The value of variable $2 in the environment of process $1 ("" when unset or unreadable).
doctor_process_env() {
  local entry
  while IFS= read -r -d '' entry; do
    [[ $entry == "$2="* ]] && { echo "${entry#*=}"; return; }
  done 2>/dev/null <"/proc/$1/environ"
}

# How long a kept trace may take to show up in Jaeger: the running Collector's decision wait
# (read from its environment; the default when it did not set one) plus the services' batch
# delay, the Collector's batch and Jaeger's ingestion, with room for a busy machine.
doctor_trace_timeout() {
  local pid wait=""
  if [[ -n ${HOTORDER_DOCTOR_TIMEOUT:-} ]]; then echo "$HOTORDER_DOCTOR_TIMEOUT"; return; fi
  if pid=$(stack_live_pid otelcol); then wait=$(doctor_process_env "$pid" TAIL_SAMPLING_DECISION_WAIT); fi
  echo $(($(doctor_seconds "${wait:-5s}" 5) + 10))
}

DOCTOR_FAILURES=0
# The command that does $1 (up, status, logs NAME) on the stack being checked: the native one,
# or the compose one under --compose (HOTORDER_COMPOSE=1), so every hint can be typed as shown.
doctor_cmd() {
  if ((${HOTORDER_COMPOSE:-0})); then
    case $1 in
      up) echo "./hotorder compose up" ;;
      status) echo "./hotorder compose ps" ;;
      logs) echo "./hotorder compose logs $2" ;;
    esac
  else
    echo "./hotorder $*"
  fi
}
# Where the Collector sends Jaeger the spans: the compose file's service name, or loopback.
doctor_jaeger_otlp_address() {
  if ((${HOTORDER_COMPOSE:-0})); then echo "jaeger:14317, in the compose network"
  else echo "127.0.0.1:$JAEGER_OTLP_GRPC_PORT"
  fi
}
doctor_pass() { printf '  \u2713 %-34s %s\n' "$1" "$2"; }
# doctor_fail WHAT URL PROBLEM CAUSE_AND_FIX...
doctor_fail() {
  local what=$1 url=$2 problem=$3 line
  shift 3
  printf '  \u2717 %-34s %s\n' "$what" "$url"
  printf '      %s\n' "$problem"
  for line in "$@"; do printf '      %s\n' "$line"; done
  DOCTOR_FAILURES=$((DOCTOR_FAILURES + 1))
}

doctor_random_hex() {  # doctor_random_hex BYTES
  od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# The service names in Jaeger's answer for trace $1, sorted, one per line; fails on no answer.
doctor_trace_services() {
  local body
  body=$(curl -sf --max-time 2 "$(stack_jaeger_url)/api/traces/$1" 2>/dev/null) || return 1
  jq -r '.data[0].processes // {} | .[].serviceName' <<<"$body" 2>/dev/null | sort -u
}

# Polls Jaeger for trace $1 until it holds every service named in $3..., or $2 seconds pass.
# Prints the services seen last.
doctor_wait_trace() {
  local trace_id=$1 timeout=$2 seen="" name missing
  shift 2
  local deadline=$((SECONDS + timeout))
  while :; do
    seen=$(doctor_trace_services "$trace_id" || true)
    missing=0
    for name in "$@"; do grep -qxF "$name" <<<"$seen" || missing=1; done
    if ((!missing)) || ((SECONDS >= deadline)); then
      echo "$seen"
      return "$missing"
    fi
    sleep 0.25
  done
}

doctor_check_services() {
  local name url code pid
  for name in "${DOCTOR_SERVICES[@]}"; do
    url="$(stack_url "$name")/readyz"
    code=$(stack_http_code "$url")
    if [[ $code == 200 ]]; then
      doctor_pass "$name ready" "$url"
    elif [[ $code == 000 ]]; then
      if pid=$(stack_live_pid "$name"); then
        doctor_fail "$name ready" "$url" "no answer, though pid $pid runs" \
          "likely: it is stuck or listens elsewhere. Run: $(doctor_cmd logs "$name")"
      else
        doctor_fail "$name ready" "$url" "no answer: $name is not running" \
          "Run: $(doctor_cmd up)   (or set $(stack_port_variable "$name") if it runs on another port)"
      fi
    else
      doctor_fail "$name ready" "$url" "/readyz answered $code: a dependency is down" \
        "likely: PostgreSQL or an upstream service. Run: $(doctor_cmd status); $(doctor_cmd logs "$name")"
    fi
  done
}

doctor_check_jaeger() {
  local url code
  url="$(stack_jaeger_url)/api/services"
  code=$(stack_http_code "$url")
  if [[ $code == 200 ]]; then
    doctor_pass "Jaeger query API" "$url"
    return 0
  fi
  doctor_fail "Jaeger query API" "$url" \
    "$( [[ $code == 000 ]] && echo "no answer" || echo "answered $code")" \
    "likely: Jaeger is not running (or JAEGER_QUERY_PORT differs). Run: $(doctor_cmd up); $(doctor_cmd logs jaeger)"
  return 1
}

doctor_check_collector() {
  local url code
  url=$(stack_collector_health_url)
  code=$(stack_http_code "$url")
  if [[ $code == 200 ]]; then
    doctor_pass "Collector health" "$url"
    return 0
  fi
  doctor_fail "Collector health" "$url" \
    "$( [[ $code == 000 ]] && echo "no answer" || echo "answered $code (a pipeline is not running)")" \
    "likely: the Collector is not running or its config failed. Run: $(doctor_cmd up); $(doctor_cmd logs otelcol)"
  return 1
}

# One ERROR span straight to the Collector's OTLP/HTTP endpoint, then the same trace id in Jaeger.
doctor_check_collector_to_jaeger() {
  local timeout=$1 trace_id span_id now end body code url
  trace_id=$(doctor_random_hex 16)
  span_id=$(doctor_random_hex 8)
  now=$(date +%s%N)
  end=$((now + 1000000))
  body=$(jq -cn --arg trace "$trace_id" --arg span "$span_id" --arg start "$now" --arg stop "$end" '
    {resourceSpans: [{
      resource: {attributes: [{key: "service.name", value: {stringValue: "hotorder-doctor"}}]},
      scopeSpans: [{scope: {name: "hotorder-doctor"}, spans: [{
        traceId: $trace, spanId: $span, name: "doctor-probe", kind: 1,
        startTimeUnixNano: $start, endTimeUnixNano: $stop,
        status: {code: 2, message: "probe from ./hotorder doctor (ERROR so tail sampling keeps it)"}
      }]}]
    }]}')
  url="$(stack_collector_otlp_url)/v1/traces"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'Content-Type: application/json' \
           --data-binary "$body" "$url" 2>/dev/null || true)
  if [[ $code != 200 ]]; then
    doctor_fail "Collector accepts OTLP/HTTP" "$url" \
      "POST of one span: $( [[ $code == 000 ]] && echo "no answer" || echo "answered $code")" \
      "likely: COLLECTOR_OTLP_HTTP_PORT differs from the running Collector's. Run: $(doctor_cmd status); $(doctor_cmd logs otelcol)"
    return 1
  fi
  url="$(stack_jaeger_url)/api/traces/$trace_id"
  if doctor_wait_trace "$trace_id" "$timeout" hotorder-doctor >/dev/null; then
    doctor_pass "Collector -> Jaeger" "$url"
    return 0
  fi
  doctor_fail "Collector -> Jaeger" "$url" \
    "the Collector accepted a span, but Jaeger did not have it within ${timeout}s" \
    "likely: the Collector cannot export to Jaeger's OTLP receiver ($(doctor_jaeger_otlp_address))." \
    "Run: $(doctor_cmd logs otelcol)   (look for \"Exporting failed\")"
  return 1
}

# A real order through all three services. Tail sampling keeps its trace because it asks to be
# kept (baggage hotorder.keep=true, recorded by api-gateway); it names an unknown SKU, so it
# changes no stock (and fails, which would keep it too).
doctor_check_services_to_jaeger() {
  local timeout=$1 url headers code trace_id seen name missing=() endpoint pid expected
  url="$(stack_url api-gateway)/api/orders"
  headers=$(mktemp)
  code=$(curl -s -o /dev/null -D "$headers" -w '%{http_code}' --max-time 10 \
           -H 'Content-Type: application/json' -H 'baggage: hotorder.keep=true' \
           --data '{"customer_id":"doctor","items":[{"sku":"DOCTOR-0","qty":1}]}' "$url" \
           2>/dev/null || true)
  trace_id=$(tr -d '\r' <"$headers" | grep -i '^x-trace-id:' | head -n 1 | sed -E 's/^[^:]*: *//' || true)
  [[ $trace_id =~ ^[0-9a-fA-F]{32}$ ]] || trace_id=""
  trace_id=${trace_id,,}
  rm -f "$headers"
  if [[ $code == 000 ]]; then
    doctor_fail "order -> services -> Jaeger" "$url" "no answer from api-gateway" \
      "Run: $(doctor_cmd up); $(doctor_cmd logs api-gateway)"
    return 1
  fi
  if [[ -z $trace_id ]]; then
    doctor_fail "order -> services -> Jaeger" "$url" \
      "api-gateway answered $code without an X-Trace-Id header: its tracing is off" \
      "likely: OTEL_SDK_DISABLED=true in the services' environment. Run: $(doctor_cmd logs api-gateway)"
    return 1
  fi
  local expected_services=(api-gateway order-service inventory-service)
  url="$(stack_jaeger_url)/api/traces/$trace_id"
  if seen=$(doctor_wait_trace "$trace_id" "$timeout" "${expected_services[@]}"); then
    doctor_pass "order -> services -> Jaeger" "$url"
    return 0
  fi
  for name in "${expected_services[@]}"; do grep -qxF "$name" <<<"$seen" || missing+=("$name"); done
  # Where do the missing services send their spans? Their own environment says.
  expected="$(stack_collector_otlp_url)"
  local hints=()
  for name in "${missing[@]}"; do
    pid=$(stack_live_pid "$name") || continue
    endpoint=$(doctor_process_env "$pid" OTEL_EXPORTER_OTLP_ENDPOINT)
    if [[ ${endpoint%/} != "$expected" ]]; then
      hints+=("$name exports to OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint:-<unset: http://localhost:4318>}, not the Collector at $expected")
    fi
  done
  if [[ -z $seen ]]; then
    hints+=("likely: the services' spans do not reach the Collector. Check OTEL_EXPORTER_OTLP_ENDPOINT ($(doctor_cmd up) uses $expected unless it is set);"
            "Run: $(doctor_cmd logs api-gateway) (export errors), $(doctor_cmd logs otelcol)")
  else
    hints+=("likely: those services export elsewhere or failed to export. Run: $(doctor_cmd logs "${missing[0]}")")
  fi
  local from=${seen//$'\n'/, }
  doctor_fail "order -> services -> Jaeger" "$url" \
    "trace $trace_id (api-gateway answered $code): after ${timeout}s Jaeger has spans from ${from:-no service}; missing: ${missing[*]}" \
    "${hints[@]}"
  return 1
}

# Waits for background check $1, prints its output $2, counts its failure; a check that died
# without saying why (an unexpected error under set -e) still shows up as a failed line.
doctor_collect() {
  local pid=$1 out=$2 what=$3
  if ! wait "$pid"; then
    DOCTOR_FAILURES=$((DOCTOR_FAILURES + 1))
    [[ -s $out ]] || printf '  \u2717 %-34s %s\n' "$what" "the check itself failed (a bug in scripts/doctor.sh?)"
  fi
  cat "$out"
}

stack_doctor() {
  local tool timeout jaeger_ok=0 collector_ok=0 services_ok before
  for tool in curl jq od; do
    command -v "$tool" >/dev/null || die "doctor needs $tool; run ./hotorder setup"
  done
  stack_check_config
  timeout=$(doctor_trace_timeout)
  [[ $timeout =~ ^[0-9]+$ ]] || die "HOTORDER_DOCTOR_TIMEOUT=$timeout is not a number of seconds"
  echo "Checking the tracing path: services -> Collector -> Jaeger (traces waited for up to ${timeout}s)"
  before=$DOCTOR_FAILURES
  doctor_check_services
  services_ok=$((DOCTOR_FAILURES == before))
  doctor_check_jaeger && jaeger_ok=1
  doctor_check_collector && collector_ok=1
  if ((jaeger_ok && collector_ok)); then
    # Both probes wait on Jaeger: side by side, the doctor takes one wait, not two. Each runs in
    # a subshell, so its exit status (not DOCTOR_FAILURES) says whether it failed.
    local out_direct out_order direct_pid order_pid
    out_direct=$(mktemp)
    out_order=$(mktemp)
    doctor_check_collector_to_jaeger "$timeout" >"$out_direct" &
    direct_pid=$!
    if ((services_ok)); then
      doctor_check_services_to_jaeger "$timeout" >"$out_order" &
      order_pid=$!
    fi
    doctor_collect "$direct_pid" "$out_direct" "Collector -> Jaeger"
    ((services_ok)) && doctor_collect "$order_pid" "$out_order" "order -> services -> Jaeger"
    rm -f "$out_direct" "$out_order"
  else
    printf '  - %-34s %s\n' "Collector -> Jaeger" "not checked: the Collector and Jaeger must both be up"
  fi
  if ((!services_ok || !jaeger_ok || !collector_ok)); then
    printf '  - %-34s %s\n' "order -> services -> Jaeger" "not checked: fix the failures above first"
  fi
  if ((DOCTOR_FAILURES == 0)); then
    echo "All hops work: traces reach Jaeger at $(stack_jaeger_url)"
    return 0
  fi
  echo "$DOCTOR_FAILURES check(s) failed."
  return 1
}
