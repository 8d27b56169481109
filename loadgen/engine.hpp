#pragma once
// The run: opens the connections, issues requests on the open-loop schedule or the closed
// loop, feeds the Recorder, and returns what the report needs. No printing: main turns the
// result into output, tests assert on it.
//
// Everything runs on one io_context driven by the calling thread, so the hot path has no locks.
// Open loop: request i is intended at start + i/rate (see arrival_schedule.hpp); one
// steady_timer wakes at the next intended time and issues everything due onto idle
// connections; what is due while every connection is busy waits, its latency still counting
// from its intended time, and is sent the moment a connection frees up.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "loadgen/options.hpp"
#include "loadgen/recorder.hpp"
#include "loadgen/report.hpp"
#include "telemetry/propagation/text_map.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::loadgen {

// Open loop without --connections: enough connections for 50 ms of latency at the target rate
// (rate × 0.05 s), at least 8 and at most 64. The pool only bounds how many requests are in
// flight at once; latency is measured from intended send times whatever its size.
std::uint32_t DefaultOpenLoopConnections(double rate) noexcept;
// How long the pre-run connectivity check may take before the target counts as unreachable.
inline constexpr std::chrono::milliseconds kPreflightTimeout{2000};

struct RunHooks {
  // Each measured second (not during warm-up), on the event-loop thread: the progress line.
  std::function<void(const IntervalStats&)> on_interval;
  // --trace: a CLIENT root span per request, its context injected by `propagator`. Both or
  // neither.
  const telemetry::Tracer* tracer = nullptr;
  const telemetry::TextMapPropagator* propagator = nullptr;
  // SIGINT/SIGTERM stop the run gracefully (RunFacts::interrupted); a second one calls
  // on_second_signal (default: _Exit(130) at once). main turns this on; tests do not.
  bool handle_signals = false;
  std::function<void()> on_second_signal;
  // When the run has stopped issuing but requests are still in flight a second later (their
  // count): they get up to --timeout to finish, which a person at the terminal should know.
  std::function<void(std::size_t in_flight)> on_draining;
  // Polled a few times a second: set it (from any thread) to stop like a Ctrl-C.
  const std::atomic<bool>* stop = nullptr;
  std::chrono::milliseconds preflight_timeout = kPreflightTimeout;
};

struct RunResult {
  // Set when the run could not happen: "cannot connect to http://host:port: reason".
  std::string fatal_error;
  RunFacts facts;
  RunTotals totals;
  std::vector<IntervalStats> intervals;
};

RunResult RunLoad(const Options& options, const RunHooks& hooks = {});

}  // namespace hotorder::loadgen
