#pragma once
// The final report: as text for a person, as JSON (--json) for scripts and the benchmark
// harness, and the per-second intervals as CSV (--csv). Pure formatting: no I/O.

#include <string>
#include <vector>

#include "options.hpp"
#include "recorder.hpp"

namespace hotorder::loadgen {

struct RunFacts {
  std::string target;
  LoopMode mode = LoopMode::kClosed;
  double target_rps = 0;       // open loop: --rate; closed loop: 0
  std::uint32_t concurrency = 0;
  std::uint32_t connections = 0;
  double measured_s = 0;       // measurement time, warm-up excluded
  double warmup_s = 0;
  std::uint64_t unsent = 0;    // open loop: intended requests still queued when the run ended
  bool interrupted = false;    // Ctrl-C: a partial report
  std::string mix;             // FormatMix
  bool traced = false;
};

// achieved_rps = requests_total / measured_s.
std::string FormatTextReport(const RunFacts& facts, const RunTotals& totals,
                             const std::string& jaeger_ui_url);

// At least: target, mode, requests_total, target_rps, achieved_rps, measured_s, unsent,
// interrupted, latency_us.{p50,p90,p99,p999,max,mean}, schedule_lag_us.{p50,p99,max},
// status.{1xx..5xx}, errors.{connect,read,timeout,status}, by_scenario.<name>.{requests,
// expected_status,statuses.{code:n},transport_errors,p50_us,p99_us}, slowest[{trace_id,
// latency_us,scenario,status,jaeger_url}].
std::string FormatJsonReport(const RunFacts& facts, const RunTotals& totals,
                             const std::string& jaeger_ui_url);

// --trace-ids: a header line "trace_id\tscenario\tstatus\tlatency_us", then one line per
// request with a trace id, in completion order (status 0: a transport error).
std::string FormatTraceIds(const std::vector<RequestSummary>& requests);

// Header: second,requests,rate,errors,p50_us,p99_us,max_us
std::string FormatCsvIntervals(const std::vector<IntervalStats>& intervals);

// The one progress line (no newline): elapsed, achieved rate, errors, p50/p99 of the interval.
std::string FormatProgressLine(const IntervalStats& interval, double target_rps);

}  // namespace hotorder::loadgen
