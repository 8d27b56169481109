#pragma once
// Adds the pre-stable attribute names (telemetry/semconv_dup.hpp) to each ended span, then hands
// it to the next processor. One place for OTEL_SEMCONV_STABILITY_OPT_IN: the HTTP server and
// client spans and the database spans all pass through here, whoever set their attributes and
// whenever (http.response.status_code is known only at the end). InitTracing puts it in front of
// the batch processor only when the switch asks for older names, so by default it costs nothing.

#include <memory>

#include "telemetry/semconv_dup.hpp"
#include "telemetry/span_processor.hpp"

namespace hotorder::telemetry {

class SemconvDupProcessor final : public SpanProcessor {
 public:
  SemconvDupProcessor(std::unique_ptr<SpanProcessor> next, SemconvOptIn opt_in,
                      AttributeLimits limits) noexcept
      : next_(std::move(next)), opt_in_(opt_in), limits_(limits) {}

  void OnStart(SpanData& span, const SpanContext& parent) noexcept override {
    next_->OnStart(span, parent);
  }
  void OnEnd(std::unique_ptr<SpanData>&& span) noexcept override;
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override {
    return next_->ForceFlush(timeout);
  }
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override {
    return next_->Shutdown(timeout);
  }

 private:
  std::unique_ptr<SpanProcessor> next_;
  SemconvOptIn opt_in_;
  AttributeLimits limits_;
};

}  // namespace hotorder::telemetry
