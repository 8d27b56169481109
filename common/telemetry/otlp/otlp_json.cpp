// OTLP http/json: the proto3 JSON mapping of ExportTraceServiceRequest with OTLP's deviations
// (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"):
//   - keys are lowerCamelCase field names;
//   - traceId/spanId/parentSpanId are lowercase hex, not base64;
//   - enums (kind, status code) are integers;
// and the plain proto3 JSON rules: 64-bit integers (intValue, *UnixNano) are decimal strings,
// 32-bit ones numbers, doubles numbers except the strings "NaN", "Infinity", "-Infinity".
// As in the protobuf encoding, fields at their default value are omitted (proto3 JSON's default
// output); AnyValue's oneof member is always written. Strings are escaped per RFC 8259 and
// ill-formed UTF-8 is replaced with U+FFFD, so the output is always valid UTF-8 JSON.
//
// The encoder writes text directly; nlohmann::json is used only to read responses.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "telemetry/otlp/otlp_encoding.hpp"
#include "telemetry/json_string.hpp"
#include "telemetry/otlp/span_grouping.hpp"

namespace hotorder::telemetry::otlp {
namespace {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) noexcept : out_(out) {}

  void Raw(std::string_view s) { out_.append(s); }
  void Char(char c) { out_.push_back(c); }

  // Writes `,"key":` (the comma unless this is the object's first member). Keys are constants.
  void Key(bool& first, std::string_view key) {
    if (!first) out_.push_back(',');
    first = false;
    out_.push_back('"');
    out_.append(key);
    out_.append("\":", 2);
  }

  void String(std::string_view s) { AppendJsonString(out_, s); }

  template <std::size_t N>
  void HexId(const Id<N>& id) {
    char buffer[Id<N>::kHexSize + 2];
    buffer[0] = '"';
    id.ToHex(buffer + 1);
    buffer[sizeof buffer - 1] = '"';
    out_.append(buffer, sizeof buffer);
  }

  void Uint(std::uint64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out_.append(buffer, result.ptr);
  }

  // proto3 JSON: int64/uint64/fixed64 are strings, since JSON numbers lose precision above 2^53.
  void QuotedInt(std::int64_t value) {
    char buffer[24];
    buffer[0] = '"';
    const auto result = std::to_chars(buffer + 1, buffer + sizeof buffer - 1, value);
    *result.ptr = '"';
    out_.append(buffer, result.ptr + 1);
  }
  void QuotedUint(std::uint64_t value) {
    char buffer[24];
    buffer[0] = '"';
    const auto result = std::to_chars(buffer + 1, buffer + sizeof buffer - 1, value);
    *result.ptr = '"';
    out_.append(buffer, result.ptr + 1);
  }

  void Double(double value) {
    if (std::isnan(value)) {
      out_.append("\"NaN\"");
    } else if (std::isinf(value)) {
      out_.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
      // Shortest text that reads back to the same double; to_chars output is valid JSON.
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
      out_.append(buffer, result.ptr);
    }
  }

  void Bool(bool value) { out_.append(value ? "true" : "false"); }

 private:
  std::string& out_;
};

std::uint64_t UnixNanos(Timestamp t) noexcept {
  const auto ns = t.time_since_epoch().count();
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

// SpanFlags (trace.proto): bit 8 = remoteness known, bit 9 = remote, bits 0-7 W3C trace flags.
std::uint32_t SpanFlags(std::uint8_t trace_flags, bool remote) noexcept {
  return trace_flags | 0x100u | (remote ? 0x200u : 0u);
}

template <typename T>
void WriteScalarValue(JsonWriter& w, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    w.Raw("{\"boolValue\":");
    w.Bool(value);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    w.Raw("{\"intValue\":");
    w.QuotedInt(value);
  } else if constexpr (std::is_same_v<T, double>) {
    w.Raw("{\"doubleValue\":");
    w.Double(value);
  } else {
    w.Raw("{\"stringValue\":");
    w.String(value);
  }
  w.Char('}');
}

void WriteAnyValue(JsonWriter& w, const AttributeValue& value) {
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> ||
                      std::is_same_v<T, double> || std::is_same_v<T, std::string>) {
          WriteScalarValue(w, v);
        } else {
          w.Raw("{\"arrayValue\":{");
          if (!v.empty()) {
            w.Raw("\"values\":[");
            bool first = true;
            for (const auto& item : v) {
              if (!first) w.Char(',');
              first = false;
              if constexpr (std::is_same_v<T, std::vector<bool>>) {
                WriteScalarValue(w, static_cast<bool>(item));  // a proxy, not a bool
              } else {
                WriteScalarValue(w, item);
              }
            }
            w.Char(']');
          }
          w.Raw("}}");
        }
      },
      value.variant());
}

// Writes `"attributes":[...]` as a member of the current object, if there are any.
void WriteAttributes(JsonWriter& w, bool& first, const Attributes& attributes) {
  if (attributes.empty()) return;
  w.Key(first, "attributes");
  w.Char('[');
  bool first_item = true;
  for (const auto& kv : attributes) {
    if (!first_item) w.Char(',');
    first_item = false;
    w.Raw("{\"key\":");
    w.String(kv.key);
    w.Raw(",\"value\":");
    WriteAnyValue(w, kv.value);
    w.Char('}');
  }
  w.Char(']');
}

void WriteStringIfSet(JsonWriter& w, bool& first, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  w.Key(first, key);
  w.String(value);
}

void WriteUintIfSet(JsonWriter& w, bool& first, std::string_view key, std::uint64_t value) {
  if (value == 0) return;
  w.Key(first, key);
  w.Uint(value);
}

void WriteNanosIfSet(JsonWriter& w, bool& first, std::string_view key, Timestamp t) {
  const std::uint64_t nanos = UnixNanos(t);
  if (nanos == 0) return;
  w.Key(first, key);
  w.QuotedUint(nanos);
}

void WriteTraceStateIfSet(JsonWriter& w, bool& first, const TraceState& state) {
  if (state.empty()) return;
  w.Key(first, "traceState");
  w.String(state.ToHeader());
}

void WriteEvent(JsonWriter& w, const SpanEvent& event) {
  w.Char('{');
  bool first = true;
  WriteNanosIfSet(w, first, "timeUnixNano", event.time);
  WriteStringIfSet(w, first, "name", event.name);
  WriteAttributes(w, first, event.attributes);
  WriteUintIfSet(w, first, "droppedAttributesCount", event.dropped_attributes_count);
  w.Char('}');
}

void WriteLink(JsonWriter& w, const SpanLink& link) {
  w.Char('{');
  bool first = true;
  w.Key(first, "traceId");
  w.HexId(link.context.trace_id());
  w.Key(first, "spanId");
  w.HexId(link.context.span_id());
  WriteTraceStateIfSet(w, first, link.context.trace_state());
  WriteAttributes(w, first, link.attributes);
  WriteUintIfSet(w, first, "droppedAttributesCount", link.dropped_attributes_count);
  w.Key(first, "flags");
  w.Uint(SpanFlags(link.context.flags(), link.context.IsRemote()));
  w.Char('}');
}

void WriteSpan(JsonWriter& w, const SpanData& span) {
  w.Char('{');
  bool first = true;
  w.Key(first, "traceId");
  w.HexId(span.context.trace_id());
  w.Key(first, "spanId");
  w.HexId(span.context.span_id());
  WriteTraceStateIfSet(w, first, span.context.trace_state());
  if (span.parent_span_id.IsValid()) {
    w.Key(first, "parentSpanId");
    w.HexId(span.parent_span_id);
  }
  w.Key(first, "flags");
  w.Uint(SpanFlags(span.context.flags(), span.parent_is_remote));
  WriteStringIfSet(w, first, "name", span.name);
  WriteUintIfSet(w, first, "kind", static_cast<std::uint32_t>(span.kind));
  WriteNanosIfSet(w, first, "startTimeUnixNano", span.start_time);
  WriteNanosIfSet(w, first, "endTimeUnixNano", span.end_time);
  WriteAttributes(w, first, span.attributes);
  WriteUintIfSet(w, first, "droppedAttributesCount", span.dropped_attributes_count);
  if (!span.events.empty()) {
    w.Key(first, "events");
    w.Char('[');
    for (std::size_t i = 0; i < span.events.size(); ++i) {
      if (i != 0) w.Char(',');
      WriteEvent(w, span.events[i]);
    }
    w.Char(']');
  }
  WriteUintIfSet(w, first, "droppedEventsCount", span.dropped_events_count);
  if (!span.links.empty()) {
    w.Key(first, "links");
    w.Char('[');
    for (std::size_t i = 0; i < span.links.size(); ++i) {
      if (i != 0) w.Char(',');
      WriteLink(w, span.links[i]);
    }
    w.Char(']');
  }
  WriteUintIfSet(w, first, "droppedLinksCount", span.dropped_links_count);
  if (span.status.code != StatusCode::kUnset || !span.status.description.empty()) {
    w.Key(first, "status");
    w.Char('{');
    bool first_status = true;
    WriteStringIfSet(w, first_status, "message", span.status.description);
    WriteUintIfSet(w, first_status, "code", static_cast<std::uint32_t>(span.status.code));
    w.Char('}');
  }
  w.Char('}');
}

class JsonVisitor {
 public:
  explicit JsonVisitor(JsonWriter& w) noexcept : w_(w) {}

  void BeginResource(const Resource* resource) {
    if (!first_resource_) w_.Char(',');
    first_resource_ = false;
    resource_ = resource;
    first_scope_ = true;
    w_.Char('{');
    bool first = true;
    if (resource != nullptr && !resource->attributes.empty()) {
      w_.Key(first, "resource");
      w_.Char('{');
      bool first_resource_member = true;
      WriteAttributes(w_, first_resource_member, resource->attributes);
      w_.Char('}');
    }
    w_.Key(first, "scopeSpans");
    w_.Char('[');
  }
  void EndResource() {
    w_.Char(']');
    bool first = false;
    if (resource_ != nullptr) WriteStringIfSet(w_, first, "schemaUrl", resource_->schema_url);
    w_.Char('}');
  }

  void BeginScope(const InstrumentationScope* scope) {
    if (!first_scope_) w_.Char(',');
    first_scope_ = false;
    scope_ = scope;
    first_span_ = true;
    w_.Char('{');
    bool first = true;
    if (scope != nullptr && (!scope->name.empty() || !scope->version.empty())) {
      w_.Key(first, "scope");
      w_.Char('{');
      bool first_scope_member = true;
      WriteStringIfSet(w_, first_scope_member, "name", scope->name);
      WriteStringIfSet(w_, first_scope_member, "version", scope->version);
      w_.Char('}');
    }
    w_.Key(first, "spans");
    w_.Char('[');
  }
  void EndScope() {
    w_.Char(']');
    bool first = false;
    if (scope_ != nullptr) WriteStringIfSet(w_, first, "schemaUrl", scope_->schema_url);
    w_.Char('}');
  }

  void Span(const SpanData& span) {
    if (!first_span_) w_.Char(',');
    first_span_ = false;
    WriteSpan(w_, span);
  }

  bool wrote_any() const noexcept { return !first_resource_; }

 private:
  JsonWriter& w_;
  const Resource* resource_ = nullptr;
  const InstrumentationScope* scope_ = nullptr;
  bool first_resource_ = true;
  bool first_scope_ = true;
  bool first_span_ = true;
};

// proto3 JSON readers accept an int64 as a number or a decimal string.
std::optional<std::int64_t> ReadInt64(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::int64_t parsed = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (result.ec == std::errc() && result.ptr == text.data() + text.size()) return parsed;
  }
  return std::nullopt;
}

// proto3 JSON parsers accept the original field name as well as the lowerCamelCase one.
const nlohmann::json* Member(const nlohmann::json& object, const char* camel, const char* snake) {
  auto it = object.find(camel);
  if (it == object.end()) it = object.find(snake);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

void EncodeJson(std::span<const std::unique_ptr<SpanData>> batch, std::string& out) {
  out.clear();
  JsonWriter writer(out);
  JsonVisitor visitor(writer);
  writer.Raw("{\"resourceSpans\":[");
  VisitGrouped(batch, visitor);
  if (!visitor.wrote_any()) {
    // An empty request: every field at its default, so nothing but the braces.
    out.assign("{}");
    return;
  }
  writer.Raw("]}");
}

std::optional<PartialSuccess> DecodeJsonResponse(std::string_view body) noexcept {
  try {
    const auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return std::nullopt;
    const auto* partial = Member(doc, "partialSuccess", "partial_success");
    if (partial == nullptr || !partial->is_object()) return std::nullopt;
    PartialSuccess result;
    // proto3 JSON: null stands for the field's default.
    if (const auto* rejected = Member(*partial, "rejectedSpans", "rejected_spans");
        rejected != nullptr && !rejected->is_null()) {
      const auto value = ReadInt64(*rejected);
      if (!value) return std::nullopt;
      result.rejected_spans = *value;
    }
    if (const auto* message = Member(*partial, "errorMessage", "error_message");
        message != nullptr && !message->is_null()) {
      if (!message->is_string()) return std::nullopt;
      result.error_message = message->get<std::string>();
    }
    return result;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace hotorder::telemetry::otlp
