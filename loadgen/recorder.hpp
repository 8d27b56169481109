#pragma once
// Aggregates request results as they complete: the run's totals and histogram, per-scenario
// counts, the slowest requests, and per-interval figures for the progress line and the CSV.
// Used from the engine's one event-loop thread only: no locking.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "histogram.hpp"
#include "scenario.hpp"

namespace hotorder::loadgen {

enum class Outcome : std::uint8_t {
  kResponse,      // an HTTP response arrived (any status)
  kConnectError,  // the connection could not be opened
  kReadError,     // the connection failed while writing the request or reading the response
  kTimeout,       // no complete response within --timeout
};

struct RequestResult {
  Scenario scenario = Scenario::kOk;
  Outcome outcome = Outcome::kResponse;
  int status = 0;                    // when outcome == kResponse
  std::int64_t latency_us = 0;       // completion minus intended send time (open loop) or
                                     // actual send time (closed loop)
  std::int64_t schedule_lag_us = 0;  // actual send minus intended send (open loop; else 0)
  std::string trace_id;              // 32 hex from the response's traceresponse, or empty
};

struct ScenarioCounts {
  std::uint64_t requests = 0;
  std::uint64_t expected_status = 0;          // answered with ExpectedStatus(scenario)
  std::map<int, std::uint64_t> statuses;       // every status seen
  std::uint64_t transport_errors = 0;          // connect + read + timeout
  LatencyHistogram latency;
};

// One request as the report lists it (the slowest) or --trace-ids writes it (every one).
struct RequestSummary {
  std::string trace_id;
  std::int64_t latency_us = 0;
  Scenario scenario = Scenario::kOk;
  int status = 0;  // 0 for a transport error
};

// One interval's figures (the progress line, and one CSV row per second).
struct IntervalStats {
  double elapsed_s = 0;         // since measurement start, at the interval's end
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;     // transport errors + unexpected statuses
  double rate = 0;              // requests / interval length
  std::int64_t p50_us = 0;
  std::int64_t p99_us = 0;
  std::int64_t max_us = 0;
};

// Everything the report prints, filled by Recorder::Totals() plus the engine's run facts.
struct RunTotals {
  std::uint64_t requests_total = 0;  // responses + transport errors
  std::array<std::uint64_t, 6> status_classes{};  // index = status / 100 (1xx..5xx), 0 unused
  std::uint64_t connect_errors = 0;
  std::uint64_t read_errors = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t status_errors = 0;   // responses whose status is not the scenario's expected one
  LatencyHistogram latency;          // responses only (transport errors are counted, not timed)
  LatencyHistogram schedule_lag;
  std::array<ScenarioCounts, kScenarioCount> by_scenario;
  std::vector<RequestSummary> slowest;  // slowest first
  // Every measured request in completion order, when the recorder keeps them (--trace-ids).
  std::vector<RequestSummary> every_request;
};

class Recorder {
 public:
  // `keep_every_request`: fill RunTotals::every_request (memory grows with the run).
  Recorder(std::uint32_t slowest_count, bool keep_every_request);

  void Record(const RequestResult& result);
  // Closes the current interval (for the progress line / CSV) and starts the next one.
  IntervalStats TakeInterval(double elapsed_s, double interval_s);

  const RunTotals& Totals() const noexcept;  // slowest is kept sorted, slowest first

 private:
  // (implementer's choice: see recorder.cpp)
  std::uint32_t slowest_count_;
  bool keep_every_request_;
  RunTotals totals_;
  LatencyHistogram interval_latency_;
  std::uint64_t interval_requests_ = 0;
  std::uint64_t interval_errors_ = 0;
};

}  // namespace hotorder::loadgen
