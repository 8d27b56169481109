#pragma once
// Where finished spans go (OpenTelemetry SpanExporter). Export is called by one thread at a time.

#include <chrono>
#include <memory>
#include <span>

#include "telemetry/span_data.hpp"

namespace hotorder::telemetry {

enum class ExportResult { kSuccess, kFailure };

class SpanExporter {
 public:
  SpanExporter() = default;
  SpanExporter(const SpanExporter&) = delete;
  SpanExporter& operator=(const SpanExporter&) = delete;
  virtual ~SpanExporter() = default;

  // Sends a batch and returns when it is delivered or given up on (retries included). After
  // Shutdown every call fails at once.
  virtual ExportResult Export(std::span<const std::unique_ptr<SpanData>> batch) noexcept = 0;
  virtual bool ForceFlush(std::chrono::milliseconds timeout) noexcept = 0;
  virtual bool Shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace hotorder::telemetry
