#pragma once
// Starts spans for one instrumentation scope. Obtained from TracerProvider::GetTracer and owned
// by the provider; cheap to call from any thread.

#include <optional>
#include <string_view>
#include <vector>

#include "telemetry/context.hpp"
#include "telemetry/resource.hpp"
#include "telemetry/span.hpp"

namespace hotorder::telemetry {

struct StartSpanOptions {
  SpanKind kind = SpanKind::kInternal;
  Attributes attributes;  // known at start, seen by the sampler
  std::vector<SpanLink> links;
  std::optional<Timestamp> start_time;  // now when unset
};

class Tracer {
 public:
  Tracer(const TracerSharedState* shared, InstrumentationScope scope) noexcept
      : shared_(shared), scope_(std::move(scope)) {}
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // Starts a span whose parent is `parent.span` (a root span when that is invalid). The parent
  // is always explicit: there is no implicit "current span".
  Span StartSpan(std::string_view name, const Context& parent,
                 StartSpanOptions options = {}) const noexcept;

  const InstrumentationScope& scope() const noexcept { return scope_; }

 private:
  const TracerSharedState* shared_;
  InstrumentationScope scope_;
};

}  // namespace hotorder::telemetry
