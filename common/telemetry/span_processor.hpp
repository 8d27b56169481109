#pragma once
// The hook between span lifecycle and export (OpenTelemetry SpanProcessor).

#include <chrono>
#include <memory>

#include "telemetry/span_data.hpp"

namespace hotorder::telemetry {

class SpanProcessor {
 public:
  SpanProcessor() = default;
  SpanProcessor(const SpanProcessor&) = delete;
  SpanProcessor& operator=(const SpanProcessor&) = delete;
  virtual ~SpanProcessor() = default;

  // Called synchronously when a sampled span starts, with the span being built and its parent.
  virtual void OnStart(SpanData& /*span*/, const SpanContext& /*parent*/) noexcept {}
  // Called when a sampled span ends; takes ownership. Must not block.
  virtual void OnEnd(std::unique_ptr<SpanData>&& span) noexcept = 0;
  // Exports everything ended so far; false if that did not finish within `timeout`.
  virtual bool ForceFlush(std::chrono::milliseconds timeout) noexcept = 0;
  // Flushes, then shuts the exporter down. Safe to call more than once; later calls return true.
  virtual bool Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace hotorder::telemetry
