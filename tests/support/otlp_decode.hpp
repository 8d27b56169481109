#pragma once
// Reads OTLP trace export requests (ExportTraceServiceRequest as binary protobuf or OTLP/JSON)
// back into flat, test-friendly spans: the in-test OTLP receiver. Written independently of the
// encoder (its own wire reader, nlohmann for JSON), so a round trip checks the encoder against the
// specification rather than against itself.
//
// Strict where a real receiver is (the Collector rejects the whole request): malformed wire data,
// wrong wire types for known fields, ids of the wrong length, strings that are not valid UTF-8 ->
// nullopt. Lenient where OTLP requires it: unknown fields are skipped, fields may come in any
// order, JSON 64-bit integers may be strings or numbers, JSON ids are case-insensitive hex.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/attributes.hpp"

namespace hotorder::test {

// Attribute values map onto telemetry::AttributeValue: scalars as themselves, homogeneous arrays
// as the matching vector (an empty array as an empty vector<string>), bytes_value as a string of
// the raw bytes, an AnyValue with nothing set as an empty string. Shapes the SDK cannot produce
// (kvlist, nested or mixed arrays) become a string rendering such as "{k:v}" or "[1,\"a\"]".

struct DecodedEvent {
  std::string name;
  std::uint64_t time_ns = 0;
  telemetry::Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  friend bool operator==(const DecodedEvent&, const DecodedEvent&) = default;
};

struct DecodedLink {
  std::string trace_id_hex;
  std::string span_id_hex;
  std::string trace_state;
  telemetry::Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::uint32_t flags = 0;
  friend bool operator==(const DecodedLink&, const DecodedLink&) = default;
};

struct DecodedSpan {
  std::string trace_id_hex;        // lowercase hex
  std::string span_id_hex;         // lowercase hex
  std::string parent_span_id_hex;  // empty for a root span
  std::string trace_state;
  std::string name;
  int kind = 0;
  std::uint64_t start_ns = 0;
  std::uint64_t end_ns = 0;
  std::uint32_t flags = 0;  // Span.flags: W3C flags in bits 0-7, remote-parent bits 8-9
  telemetry::Attributes attributes;
  std::uint32_t dropped_attributes_count = 0;
  std::vector<DecodedEvent> events;
  std::uint32_t dropped_events_count = 0;
  std::vector<DecodedLink> links;
  std::uint32_t dropped_links_count = 0;
  int status_code = 0;
  std::string status_message;

  // From the enclosing ResourceSpans and ScopeSpans.
  telemetry::Attributes resource_attributes;
  std::string resource_schema_url;
  std::string scope_name;
  std::string scope_version;
  std::string scope_schema_url;
  std::size_t resource_index = 0;  // position of the ResourceSpans in the request
  std::size_t scope_index = 0;     // position of the ScopeSpans within its ResourceSpans
  friend bool operator==(const DecodedSpan&, const DecodedSpan&) = default;
};

// Spans in request order (resource by resource, scope by scope); nullopt when malformed.
std::optional<std::vector<DecodedSpan>> DecodeOtlpProtobuf(std::string_view body);
std::optional<std::vector<DecodedSpan>> DecodeOtlpJson(std::string_view body);

// Picks the decoder from an OTLP/HTTP Content-Type ("application/json" or
// "application/x-protobuf", parameters ignored); nullopt for any other type.
std::optional<std::vector<DecodedSpan>> DecodeOtlpBody(std::string_view body,
                                                       std::string_view content_type);

}  // namespace hotorder::test
