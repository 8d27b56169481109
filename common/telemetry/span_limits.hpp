#pragma once
// Limits on what one span may carry (OpenTelemetry spec: Span Limits). What exceeds them is
// dropped and counted, never an error.

#include "config/env.hpp"
#include "telemetry/attributes.hpp"

namespace hotorder::telemetry {

struct SpanLimits {
  AttributeLimits span_attributes;
  std::uint32_t event_count = 128;
  std::uint32_t link_count = 128;
  AttributeLimits event_attributes;
  AttributeLimits link_attributes;
};

// OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT, OTEL_ATTRIBUTE_COUNT_LIMIT, and the span-specific
// OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT, OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT,
// OTEL_SPAN_EVENT_COUNT_LIMIT, OTEL_SPAN_LINK_COUNT_LIMIT, OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT,
// OTEL_LINK_ATTRIBUTE_COUNT_LIMIT; a span-specific variable wins over the general one.
SpanLimits SpanLimitsFromEnv(const config::EnvReader& env);

}  // namespace hotorder::telemetry
