#include "loadgen/recorder.hpp"

#include <algorithm>

namespace hotorder::loadgen {

Recorder::Recorder(std::uint32_t slowest_count, bool keep_every_request)
    : slowest_count_(slowest_count), keep_every_request_(keep_every_request) {
  totals_.slowest.reserve(slowest_count_ + 1);
}

void Recorder::Record(const RequestResult& result) {
  auto& scenario = totals_.by_scenario[static_cast<std::size_t>(result.scenario)];
  ++totals_.requests_total;
  ++scenario.requests;
  ++interval_requests_;
  totals_.schedule_lag.Record(result.schedule_lag_us);

  int status = 0;
  switch (result.outcome) {
    case Outcome::kResponse:
      status = result.status;
      if (status >= 100 && status < 600) ++totals_.status_classes[static_cast<std::size_t>(status / 100)];
      ++scenario.statuses[status];
      if (status == ExpectedStatus(result.scenario)) {
        ++scenario.expected_status;
      } else {
        ++totals_.status_errors;
        ++interval_errors_;
      }
      totals_.latency.Record(result.latency_us);
      scenario.latency.Record(result.latency_us);
      interval_latency_.Record(result.latency_us);
      break;
    case Outcome::kConnectError:
    case Outcome::kReadError:
    case Outcome::kTimeout:
      if (result.outcome == Outcome::kConnectError) ++totals_.connect_errors;
      if (result.outcome == Outcome::kReadError) ++totals_.read_errors;
      if (result.outcome == Outcome::kTimeout) ++totals_.timeouts;
      ++scenario.transport_errors;
      ++interval_errors_;
      break;
  }

  const RequestSummary summary{.trace_id = result.trace_id,
                               .latency_us = result.latency_us,
                               .scenario = result.scenario,
                               .status = status};
  if (keep_every_request_) totals_.every_request.push_back(summary);

  // The slowest N, kept sorted slowest first. Most results are faster than the Nth slowest and
  // leave after one comparison; ties keep the earlier request.
  auto& slowest = totals_.slowest;
  if (slowest_count_ == 0) return;
  if (slowest.size() == slowest_count_ && result.latency_us <= slowest.back().latency_us) return;
  auto at = std::upper_bound(slowest.begin(), slowest.end(), result.latency_us,
                             [](std::int64_t latency, const RequestSummary& slow) {
                               return latency > slow.latency_us;
                             });
  slowest.insert(at, summary);
  if (slowest.size() > slowest_count_) slowest.pop_back();
}

IntervalStats Recorder::TakeInterval(double elapsed_s, double interval_s) {
  IntervalStats stats{
      .elapsed_s = elapsed_s,
      .requests = interval_requests_,
      .errors = interval_errors_,
      .rate = interval_s > 0 ? static_cast<double>(interval_requests_) / interval_s : 0.0,
      .p50_us = interval_latency_.ValueAtPercentile(50),
      .p99_us = interval_latency_.ValueAtPercentile(99),
      .max_us = interval_latency_.Max(),
  };
  interval_latency_.Reset();
  interval_requests_ = 0;
  interval_errors_ = 0;
  return stats;
}

const RunTotals& Recorder::Totals() const noexcept { return totals_; }

}  // namespace hotorder::loadgen
