#pragma once
// The figures of `./hotorder bench system`. The script (scripts/bench-system.sh) only runs
// commands and records what they printed: loadgen's JSON reports, wrk's and pg_test_fsync's
// output, /proc/<pid>/stat lines, order counts and clock readings before and after a run, the
// services' logs. This code turns those raw facts into every figure of build/bench/system.json
// (ratios, deltas, CPU per span, best of rounds, verdicts against the targets) and renders the
// Markdown of bench/results.md from that JSON, so no arithmetic happens in bash.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotorder::bench_report {

using Json = nlohmann::ordered_json;  // fields in the written order, for people reading it
// A measured value, or none (a step that produced no figure: "n/a" / "—" in the Markdown).
using Figure = std::optional<double>;

// --- raw facts ------------------------------------------------------------------------------
// The script's facts.env: one key=value per line (the value is the rest of the line, spaces and
// all); empty lines and lines starting with '#' are skipped. nullopt with `error` set for a line
// without '=' or a key given twice.
using Facts = std::map<std::string, std::string, std::less<>>;
std::optional<Facts> ParseFacts(std::string_view text, std::string& error);

// "Requests/sec: 109299.12" in wrk's output.
Figure ParseWrkRequestsPerSecond(std::string_view output);
// The usecs/op of the first "fdatasync" line in pg_test_fsync's output: one 8 kB write and
// fdatasync (the first section). None while the tool had not printed that figure yet.
Figure ParseFdatasyncMicros(std::string_view output);
// utime + stime (clock ticks) from a /proc/<pid>/stat line.
std::optional<std::uint64_t> ParseCpuTicks(std::string_view stat_line);
// "Model name:" of lscpu's output ("" when it has none).
std::string ParseCpuModel(std::string_view lscpu_output);
// "MemTotal:" of /proc/meminfo, in KiB.
std::optional<std::uint64_t> ParseMemTotalKib(std::string_view meminfo);

// What a service's SDK did with its spans: the "tracing totals" log line a service writes once
// at shutdown. A field missing from the line counts as 0.
struct TracingTotals {
  std::uint64_t spans_started = 0;
  std::uint64_t spans_ended = 0;
  std::uint64_t spans_exported = 0;
  std::uint64_t spans_dropped = 0;
  std::uint64_t export_requests = 0;
  std::uint64_t export_failures = 0;
};
// The last "tracing totals" line of a service's log (JSON lines); nullopt when there is none
// (`error` then says why: no such line, or a field that is not a whole number).
std::optional<TracingTotals> ParseTracingTotals(std::string_view log, std::string& error);

// --- arithmetic on figures that may be missing -----------------------------------------------
Figure Ratio(Figure numerator, Figure denominator);  // none when either is none, or b == 0
Figure Delta(Figure value, Figure baseline);         // value - baseline
Figure BestOf(const std::vector<Figure>& values);    // the largest; none only when all are

enum class Bound { kAtMost, kAtLeast };
// "PASS" when the value keeps within the limit, "MISS" when not, "n/a" when there is no value.
std::string Verdict(Figure value, Bound bound, double limit);

// The targets results.md judges against.
struct Targets {
  double p50_ratio = 1.3;                // HotOrder's light-run p50 at most 1.3x the floor's
  double p99_ratio = 2;                  // and its p99 at most 2x
  double traced_throughput_ratio = 0.95; // traced saturation req/s at least 95% of untraced
  double traced_p50_delta_us = 20;       // tracing adds at most 20 µs to the light-run p50
  double loadgen_vs_wrk = 0.8;           // loadgen at least 80% of wrk's closed-loop req/s
  // An open loop cannot exceed its rate; this share of it counts as sustained (the rest is timer
  // granularity at the run's edges). The full run's open-loop rate, 20,000 req/s, is the target
  // loadgen must sustain.
  double open_loop_sustained_share = 0.99;
};

// --- loadgen reports -------------------------------------------------------------------------
// Requests answered with a 2xx; 0 when the report has no such count.
std::uint64_t SuccessfulRequests(const Json& report);
// One line about a run for the console: "1507 req/s, p50 20207 µs, p99 45375 µs, 2xx 22617 of
// 22617, errors 0".
std::string RunSummaryLine(const Json& report);

// The loadgen runs of a bench, in the order they ran (compare_rounds closed-loop rounds).
std::vector<std::string> RunNames(int compare_rounds);
// The three services, whose CPU and logs the script records.
const std::vector<std::string>& ServiceNames();

// --- the report ------------------------------------------------------------------------------
struct Inputs {
  Facts facts;                             // facts.env
  std::map<std::string, Json> runs;        // loadgen's JSON report per run name (RunNames)
  std::vector<std::string> wrk_outputs;    // wrk's output, one per round
  std::string pg_test_fsync_output;
  std::string lscpu_output;
  std::string meminfo;
  // Each service's log while it served the traced saturation run alone (ServiceNames).
  std::map<std::string, std::string> traced_service_logs;
};

struct Report {
  Json system;                        // build/bench/system.json
  std::vector<std::string> errors;    // the report cannot stand (a fact or a run is missing)
  std::vector<std::string> warnings;  // figures that are missing or runs with failed requests
};

Report BuildReport(const Inputs& inputs, const Targets& targets = {});

// The figures of system.json that have no value, as JSON pointers ("/export/cpu_us_per_span").
// Every one of them has a value in a complete run.
std::vector<std::string> MissingFigures(const Json& system);

// bench/results.md (or results-quick.md for a --quick run) from system.json.
std::string RenderMarkdown(const Json& system);
// A few lines for the console: each figure with its verdict.
std::string RenderSummary(const Json& system);

}  // namespace hotorder::bench_report
