#include "telemetry/processor/simple_span_processor.hpp"

#include <span>
#include <utility>

namespace hotorder::telemetry {

SimpleSpanProcessor::SimpleSpanProcessor(std::unique_ptr<SpanExporter>&& exporter,
                                         SdkCounters* counters) noexcept
    : exporter_(std::move(exporter)), counters_(counters) {
  if (!exporter_) stopped_.store(true);
}

SimpleSpanProcessor::~SimpleSpanProcessor() {
  Shutdown(std::chrono::milliseconds(30000));
}

void SimpleSpanProcessor::Count(std::atomic<std::uint64_t> SdkCounters::*counter) noexcept {
  if (counters_ != nullptr) SdkCounters::Add(counters_->*counter);
}

void SimpleSpanProcessor::OnEnd(std::unique_ptr<SpanData>&& span) noexcept {
  if (!span) return;
  Count(&SdkCounters::spans_ended);
  std::unique_ptr<SpanData> owned = std::move(span);
  std::lock_guard lock(export_mutex_);
  // Checked under the lock: once Shutdown holds it, no export can reach a shut-down exporter.
  if (stopped_.load(std::memory_order_acquire)) {
    Count(&SdkCounters::spans_dropped_after_shutdown);
    return;
  }
  const ExportResult result =
      exporter_->Export(std::span<const std::unique_ptr<SpanData>>(&owned, 1));
  Count(result == ExportResult::kSuccess ? &SdkCounters::spans_exported
                                         : &SdkCounters::spans_dropped_export_failed);
}

bool SimpleSpanProcessor::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  std::lock_guard lock(export_mutex_);
  if (stopped_.load(std::memory_order_acquire)) return true;
  return exporter_->ForceFlush(timeout);
}

bool SimpleSpanProcessor::Shutdown(std::chrono::milliseconds timeout) noexcept {
  std::lock_guard lock(export_mutex_);
  if (stopped_.exchange(true)) return true;
  return exporter_->Shutdown(timeout);
}

}  // namespace hotorder::telemetry
