#pragma once
// The OpenTelemetry "Batching processor": ended spans go into a bounded queue and one worker
// thread hands them to the exporter in batches.
//
// Behaviour (OpenTelemetry SDK spec, Built-in span processors / Batching processor):
// - OnEnd never blocks and never allocates: it moves the span into a preallocated lock-free ring
//   (span_ring.hpp). A full queue drops the span (counted), it never waits for room.
// - A batch is exported when max_export_batch_size spans are queued (the producer that makes the
//   queue reach that size wakes the worker, once per cycle; no futex per span) or when
//   schedule_delay has passed since the last export, whichever comes first.
// - One worker thread, so one Export in flight at a time, as SpanExporter requires.
// - ForceFlush(timeout) exports every span whose OnEnd returned before the call, then flushes
//   the exporter; false if that did not finish in time (the work still completes afterwards).
// - Shutdown(timeout) is idempotent: it stops accepting spans, drains the queue, calls
//   exporter->Shutdown exactly once and joins the worker. Spans still queued when the timeout
//   passes are dropped (counted as spans_dropped_after_shutdown). The destructor calls Shutdown.
//
// About export_timeout (OTEL_BSP_EXPORT_TIMEOUT): the spec says it is "how long the export can
// run before it is cancelled", but SpanExporter::Export is a blocking call with no cancellation
// hook, and the worker cannot preempt it. What really bounds an export is the exporter's own
// timeout (for OTLP: OTEL_EXPORTER_OTLP_TIMEOUT per attempt plus its retry budget); configure
// that at or below export_timeout. Here export_timeout is checked after each Export returns: an
// overrun is reported through Diagnose. ForceFlush and Shutdown still honour their own timeouts
// for the caller (they return false), but cannot make a running Export return sooner; a
// destructor after a timed-out Shutdown waits for the running Export to come back.
//
// Counter ownership (SdkCounters, optional): this processor counts spans_ended (every span given
// to OnEnd, kept or not), spans_dropped_queue_full, spans_dropped_after_shutdown, and, per
// batch, spans_exported on ExportResult::kSuccess or spans_dropped_export_failed on kFailure.
// Exporters must NOT count those span-level outcomes; they count only their requests
// (export_requests, export_retries, export_failures). After Shutdown, with no OnEnd racing it:
//   spans_ended == spans_exported + spans_dropped_queue_full + spans_dropped_after_shutdown
//                  + spans_dropped_export_failed.
// (A span whose OnEnd races Shutdown is counted no later than the destructor.)

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "config/env.hpp"
#include "telemetry/processor/span_ring.hpp"
#include "telemetry/sdk_counters.hpp"
#include "telemetry/span_exporter.hpp"
#include "telemetry/span_processor.hpp"

namespace hotorder::telemetry {

struct BatchSpanProcessorOptions {
  std::size_t max_queue_size = 2048;
  std::chrono::milliseconds schedule_delay{5000};
  // 0 means no limit (as in the spec's declarative configuration).
  std::chrono::milliseconds export_timeout{30000};
  // Clamped to max_queue_size (spec: "must be less than or equal to maxQueueSize").
  std::size_t max_export_batch_size = 512;
};

// Reads OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_EXPORT_TIMEOUT (milliseconds, >= 0),
// OTEL_BSP_MAX_QUEUE_SIZE and OTEL_BSP_MAX_EXPORT_BATCH_SIZE (integers >= 1). An unparsable or
// out-of-range value is warned about through `env` and the default used; a batch size above the
// queue size is warned about (when set explicitly) and clamped to the queue size.
BatchSpanProcessorOptions BatchOptionsFromEnv(const config::EnvReader& env);

class BatchSpanProcessor final : public SpanProcessor {
 public:
  // Starts the worker. Invalid options (zero sizes, negative durations) are replaced by defaults
  // with a diagnostic. `counters` may be nullptr; if not, it must outlive this processor.
  BatchSpanProcessor(std::unique_ptr<SpanExporter>&& exporter, BatchSpanProcessorOptions options,
                     SdkCounters* counters = nullptr);
  ~BatchSpanProcessor() override;

  void OnEnd(std::unique_ptr<SpanData>&& span) noexcept override;
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

  // The options in effect after validation.
  const BatchSpanProcessorOptions& options() const noexcept { return options_; }

 private:
  using Clock = std::chrono::steady_clock;

  void Run() noexcept;
  void WakeWorker() noexcept;
  // Exports positions up to `target` (a ClaimedCount snapshot) in batches. With `full_only`,
  // stops while less than a full batch remains. At `deadline` the rest up to `target` is dropped
  // as after-shutdown and false returned.
  bool ExportUpTo(std::uint64_t target, bool full_only, Clock::time_point deadline) noexcept;
  void ExportBatch() noexcept;
  // Pops the next claimed span, waiting out a producer caught between claim and publish.
  SpanData* PopClaimed() noexcept;
  void ReportDrops(bool force) noexcept;
  // After the worker has stopped: frees what OnEnd calls racing Shutdown left in the ring.
  void DropLeftovers() noexcept;
  void Count(std::atomic<std::uint64_t> SdkCounters::*counter, std::uint64_t n) noexcept;

  std::unique_ptr<SpanExporter> exporter_;
  const BatchSpanProcessorOptions options_;
  SdkCounters* const counters_;
  SpanRing ring_;
  // Worker-only; reserved up front so exporting allocates nothing either.
  std::vector<std::unique_ptr<SpanData>> batch_;

  // Read by every OnEnd, written once: set before Shutdown drains, so later spans are refused.
  alignas(64) std::atomic<bool> stopped_{false};
  // Written once per worker cycle by the producer that fills a batch; kept off stopped_'s line.
  alignas(64) std::atomic<bool> wake_requested_{false};
  alignas(64) std::atomic<std::uint64_t> unreported_queue_full_{0};

  // Guards the fields below and makes the producers' wake-up race-free with the worker's wait.
  std::mutex mutex_;
  std::condition_variable worker_cv_;  // the worker waits here
  std::condition_variable done_cv_;    // ForceFlush/Shutdown callers wait here
  bool stop_ = false;
  Clock::time_point shutdown_deadline_ = Clock::time_point::max();
  // Generation counters: a flush is done once flush_done_ reaches the value its request got, so
  // a notification that arrives before the caller waits is never lost.
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  bool last_flush_ok_ = true;
  Clock::time_point flush_deadline_ = Clock::time_point::min();
  bool worker_done_ = false;
  bool shutdown_ok_ = false;

  Clock::time_point last_drop_report_{};  // worker-only
  std::thread worker_;
  std::thread::id worker_id_;
};

}  // namespace hotorder::telemetry
