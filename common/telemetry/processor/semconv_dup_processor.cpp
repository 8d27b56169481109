#include "telemetry/processor/semconv_dup_processor.hpp"

namespace hotorder::telemetry {

void SemconvDupProcessor::OnEnd(std::unique_ptr<SpanData>&& span) noexcept {
  try {
    AddOldSemconvNames(*span, opt_in_, limits_);
  } catch (...) {
    // Only an allocation can fail: the span goes on with the names it has.
  }
  next_->OnEnd(std::move(span));
}

}  // namespace hotorder::telemetry
