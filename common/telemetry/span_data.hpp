#pragma once
// A finished span as processors and exporters see it. Field meanings and enum numbers follow the
// OpenTelemetry trace data model (and OTLP's numbering, so encoders cast directly).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "telemetry/attributes.hpp"
#include "telemetry/resource.hpp"
#include "telemetry/span_context.hpp"

namespace hotorder::telemetry {

using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

enum class SpanKind : std::uint8_t {
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};

enum class StatusCode : std::uint8_t { kUnset = 0, kOk = 1, kError = 2 };

struct Status {
  StatusCode code = StatusCode::kUnset;
  std::string description;  // only meaningful with kError
};

struct SpanEvent {
  std::string name;
  Timestamp time;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct SpanLink {
  SpanContext context;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
};

struct SpanData {
  SpanContext context;
  SpanId parent_span_id;  // invalid for a root span
  bool parent_is_remote = false;
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  Timestamp start_time;
  Timestamp end_time;
  Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::vector<SpanEvent> events;
  std::uint32_t dropped_events_count = 0;
  std::vector<SpanLink> links;
  std::uint32_t dropped_links_count = 0;
  Status status;
  // Owned by the TracerProvider (resource) and its Tracer (scope), which outlive every span they
  // produce: the provider's Shutdown drains the pipeline before either goes away.
  const Resource* resource = nullptr;
  const InstrumentationScope* scope = nullptr;
};

}  // namespace hotorder::telemetry
