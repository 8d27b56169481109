#pragma once
// OTLP trace encodings: an ExportTraceServiceRequest built from a batch of finished spans, as
// binary protobuf (http/protobuf) or as OTLP/JSON (http/json). Spans are grouped into
// ResourceSpans by resource and into ScopeSpans by instrumentation scope, keeping batch order.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "telemetry/span_data.hpp"

namespace hotorder::telemetry::otlp {

// Appends the encoded request to `out` (cleared first), so a caller can reuse one buffer.
void EncodeProtobuf(std::span<const std::unique_ptr<SpanData>> batch, std::string& out);
void EncodeJson(std::span<const std::unique_ptr<SpanData>> batch, std::string& out);

// ExportTraceServiceResponse.partial_success, present when the receiver rejected some spans.
struct PartialSuccess {
  std::int64_t rejected_spans = 0;
  std::string error_message;
};

// Reads an ExportTraceServiceResponse body; nullopt when it has no partial_success (or cannot be
// read: a success response's body is informational only).
std::optional<PartialSuccess> DecodeProtobufResponse(std::string_view body) noexcept;
std::optional<PartialSuccess> DecodeJsonResponse(std::string_view body) noexcept;

}  // namespace hotorder::telemetry::otlp
