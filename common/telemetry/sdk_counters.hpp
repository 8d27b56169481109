#pragma once
// Self-observability: what the SDK did with the spans it was given. Relaxed atomics: these are
// statistics, read for reports and tests, never used to synchronise anything.
//
// Who counts what, so nothing is counted twice: the tracer counts spans_started (sampled spans);
// the span processor counts every span handed to it (spans_ended) and its fate (exported, or
// dropped for one reason); the exporter counts only its own requests, retries and failures.

#include <atomic>
#include <cstdint>

namespace hotorder::telemetry {

struct SdkCountersSnapshot {
  std::uint64_t spans_started = 0;
  std::uint64_t spans_ended = 0;
  std::uint64_t spans_dropped_queue_full = 0;
  std::uint64_t spans_dropped_after_shutdown = 0;
  std::uint64_t spans_dropped_export_failed = 0;
  std::uint64_t spans_exported = 0;
  std::uint64_t export_requests = 0;
  std::uint64_t export_failures = 0;  // requests that failed for good, after retries
  std::uint64_t export_retries = 0;

  std::uint64_t spans_dropped() const noexcept {
    return spans_dropped_queue_full + spans_dropped_after_shutdown + spans_dropped_export_failed;
  }
};

class SdkCounters {
 public:
  std::atomic<std::uint64_t> spans_started{0};
  std::atomic<std::uint64_t> spans_ended{0};
  std::atomic<std::uint64_t> spans_dropped_queue_full{0};
  std::atomic<std::uint64_t> spans_dropped_after_shutdown{0};
  std::atomic<std::uint64_t> spans_dropped_export_failed{0};
  std::atomic<std::uint64_t> spans_exported{0};
  std::atomic<std::uint64_t> export_requests{0};
  std::atomic<std::uint64_t> export_failures{0};
  std::atomic<std::uint64_t> export_retries{0};

  static void Add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
    counter.fetch_add(n, std::memory_order_relaxed);
  }

  SdkCountersSnapshot Snapshot() const noexcept {
    auto get = [](const std::atomic<std::uint64_t>& c) { return c.load(std::memory_order_relaxed); };
    return {get(spans_started),  get(spans_ended),     get(spans_dropped_queue_full),
            get(spans_dropped_after_shutdown), get(spans_dropped_export_failed),
            get(spans_exported), get(export_requests), get(export_failures),
            get(export_retries)};
  }
};

}  // namespace hotorder::telemetry
