#pragma once
// The OpenTelemetry "Simple processor": each ended span is exported at once, on the thread that
// ended it. For tests, debugging and the console exporter; it makes OnEnd as slow as an export,
// so services use BatchSpanProcessor.
//
// Exports are serialised with a mutex because SpanExporter::Export may only be called by one
// thread at a time (spec: "Export will never be called concurrently for the same exporter").
// Counters follow BatchSpanProcessor's ownership rule (see batch_span_processor.hpp): this
// processor counts spans_ended, spans_dropped_after_shutdown, spans_exported and
// spans_dropped_export_failed; exporters count only their requests.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "telemetry/sdk_counters.hpp"
#include "telemetry/span_exporter.hpp"
#include "telemetry/span_processor.hpp"

namespace hotorder::telemetry {

class SimpleSpanProcessor final : public SpanProcessor {
 public:
  // `counters` may be nullptr; if not, it must outlive this processor.
  explicit SimpleSpanProcessor(std::unique_ptr<SpanExporter>&& exporter,
                               SdkCounters* counters = nullptr) noexcept;
  ~SimpleSpanProcessor() override;

  // Blocks for the export (and for an export running on another thread).
  void OnEnd(std::unique_ptr<SpanData>&& span) noexcept override;
  // Nothing is buffered here, so this only flushes the exporter.
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override;
  // Idempotent: the first call waits for a running export, then shuts the exporter down.
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override;

 private:
  void Count(std::atomic<std::uint64_t> SdkCounters::*counter) noexcept;

  std::unique_ptr<SpanExporter> exporter_;
  SdkCounters* const counters_;
  std::atomic<bool> stopped_{false};
  std::mutex export_mutex_;  // held across each exporter call
};

}  // namespace hotorder::telemetry
