#pragma once
// The figures of `./hotorder bench system`. The script (scripts/bench-system.sh) only runs
// commands and records what they printed (raw_facts.hpp reads each kind back). This code turns
// those raw facts into every figure of build/bench/system.json: per round, then the median and
// spread over the rounds, the ratios and deltas between systems, CPU per order and per span, and
// the verdicts against the targets. markdown.hpp renders that JSON; no arithmetic happens in bash.
//
// A bench is several rounds; each round measures every system once, with a light run and a
// saturation run (odd rounds in the order of SystemNames(), even rounds in reverse, so drift in
// the machine or the database's growth does not favour one system). Every comparison is made
// within a round and then summarized, so a neighbour's burst during one round moves one value of
// the spread, not the median.

#include <map>
#include <string>
#include <vector>

#include "bench/report/figures.hpp"
#include "bench/report/raw_facts.hpp"

namespace hotorder::bench_report {

// The targets results.md judges against, each on the median over the rounds.
struct Targets {
  double p50_ratio = 1.3;                 // HotOrder's light-run p50 at most 1.3x the floor's
  double p99_ratio = 2;                   // and its p99 at most 2x
  double max_rps_ratio = 0.8;             // its saturation throughput at least 0.8x the floor's
  // Tracing, judged against the OTLP sink, so the backend's CPU on the same cores does not count:
  double traced_throughput_ratio = 0.95;  // traced saturation req/s at least 95% of untraced
  double traced_p50_delta_us = 20;        // at most 20 µs more on the light-run p50
  double traced_p99_ratio = 1.2;          // the light-run p99 at most 1.2x untraced
  double cpu_us_per_span = 2;             // the services' extra CPU per exported span
  double loadgen_vs_wrk = 0.8;            // loadgen at least 80% of wrk's closed-loop req/s
  // An open loop cannot exceed its rate; this share of it counts as sustained (the rest is timer
  // granularity at the run's edges). The full run's open-loop rate, 20,000 req/s, is the target
  // loadgen must sustain.
  double open_loop_sustained_share = 0.99;
};

// --- the runs of a bench ---------------------------------------------------------------------
// The systems every round measures: "floor" (bench/floor), "untraced" (HotOrder with
// OTEL_SDK_DISABLED=true), "sink" (HotOrder, every span exported to `floor_chain otlp-sink`),
// "collector" (HotOrder, every span exported to the OpenTelemetry Collector and on to Jaeger).
const std::vector<std::string>& SystemNames();
bool IsTraced(const std::string& system);
// The traced ones, in SystemNames() order: "sink" (which the targets judge), then "collector".
const std::vector<std::string>& TracedSystemNames();
// The three services, whose CPU and logs the script records.
const std::vector<std::string>& ServiceNames();

// "<system>-<round>": the services' processes of one system in one round (their logs are
// logs/<phase>/<service>.log, their orders counted at <phase>.orders_at_start / _at_stop).
std::string PhaseName(const std::string& system, int round);
// "<system>-light-<round>", "<system>-saturation-<round>".
std::string LightRun(const std::string& system, int round);
std::string SaturationRun(const std::string& system, int round);
// Every loadgen run of a bench: each round's light and saturation runs of every system, then the
// client comparison (compare_rounds closed-loop rounds and one open loop).
std::vector<std::string> RunNames(int rounds, int compare_rounds);

// --- loadgen reports -------------------------------------------------------------------------
// Requests answered with a 2xx; 0 when the report has no such count.
std::uint64_t SuccessfulRequests(const Json& report);
// One line about a run for the console: "1507 req/s, p50 20207 µs, p99 45375 µs, 2xx 22617 of
// 22617, errors 0".
std::string RunSummaryLine(const Json& report);

// --- the report ------------------------------------------------------------------------------
struct Inputs {
  Facts facts;                          // facts.env
  std::map<std::string, Json> runs;     // loadgen's JSON report per run name (RunNames)
  std::vector<std::string> wrk_outputs; // wrk's output, one per compare round
  std::string pg_test_fsync_output;
  std::string lscpu_output;
  std::string meminfo;
  // The services' logs of each traced phase (PhaseName): phase -> service -> log.
  std::map<std::string, std::map<std::string, std::string>> service_logs;
  std::string sink_log;                 // floor_chain otlp-sink's output
};

struct Report {
  Json system;                        // build/bench/system.json
  std::vector<std::string> errors;    // the report cannot stand (a fact or a run is missing)
  std::vector<std::string> warnings;  // figures that are missing or runs with failed requests
};

Report BuildReport(const Inputs& inputs, const Targets& targets = {});

// The figures of system.json that have no value, as JSON pointers
// ("/tracing/sink/cpu_us_per_span/median"). Every one of them has a value in a complete run.
std::vector<std::string> MissingFigures(const Json& system);

}  // namespace hotorder::bench_report
