#include "support/otlp_decode.hpp"

#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "telemetry/utf8.hpp"

namespace hotorder::test {
namespace {

using telemetry::AttributeValue;
using telemetry::Attributes;
using telemetry::KeyValue;

// Deeper AnyValue nesting than this is refused instead of recursing without bound.
constexpr int kMaxDepth = 32;

// A decoded AnyValue before it is mapped onto telemetry::AttributeValue.
struct AnyKv;
struct Any {
  enum class Type { kEmpty, kString, kBool, kInt, kDouble, kBytes, kArray, kKvList };
  Type type = Type::kEmpty;
  std::string text;  // string or bytes
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::vector<Any> items;
  std::vector<AnyKv> entries;
};
struct AnyKv {
  std::string key;
  Any value;
};

std::string Render(const Any& any) {
  switch (any.type) {
    case Any::Type::kEmpty:
      return "";
    case Any::Type::kString:
    case Any::Type::kBytes:
      return "\"" + any.text + "\"";
    case Any::Type::kBool:
      return any.boolean ? "true" : "false";
    case Any::Type::kInt:
      return std::to_string(any.integer);
    case Any::Type::kDouble: {
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, any.real);
      return std::string(buffer, result.ptr);
    }
    case Any::Type::kArray: {
      std::string out = "[";
      for (std::size_t i = 0; i < any.items.size(); ++i) {
        if (i != 0) out += ',';
        out += Render(any.items[i]);
      }
      return out + "]";
    }
    case Any::Type::kKvList: {
      std::string out = "{";
      for (std::size_t i = 0; i < any.entries.size(); ++i) {
        if (i != 0) out += ',';
        out += any.entries[i].key + ":" + Render(any.entries[i].value);
      }
      return out + "}";
    }
  }
  return "";
}

template <typename T>
std::vector<T> Collect(const std::vector<Any>& items, T Any::*member) {
  std::vector<T> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.*member);
  return out;
}

AttributeValue ToAttributeValue(const Any& any) {
  switch (any.type) {
    case Any::Type::kEmpty:
      return AttributeValue(std::string());
    case Any::Type::kString:
    case Any::Type::kBytes:
      return AttributeValue(any.text);
    case Any::Type::kBool:
      return AttributeValue(any.boolean);
    case Any::Type::kInt:
      return AttributeValue(any.integer);
    case Any::Type::kDouble:
      return AttributeValue(any.real);
    case Any::Type::kKvList:
      return AttributeValue(Render(any));
    case Any::Type::kArray:
      break;
  }
  if (any.items.empty()) return AttributeValue(std::vector<std::string>{});
  const Any::Type type = any.items.front().type;
  for (const auto& item : any.items) {
    if (item.type != type) return AttributeValue(Render(any));
  }
  switch (type) {
    case Any::Type::kString:
      return AttributeValue(Collect(any.items, &Any::text));
    case Any::Type::kBool: {
      std::vector<bool> out;
      for (const auto& item : any.items) out.push_back(item.boolean);
      return AttributeValue(std::move(out));
    }
    case Any::Type::kInt:
      return AttributeValue(Collect(any.items, &Any::integer));
    case Any::Type::kDouble:
      return AttributeValue(Collect(any.items, &Any::real));
    default:
      return AttributeValue(Render(any));
  }
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0F];
  }
  return out;
}

// ================================ binary protobuf ================================

struct WireField {
  std::uint32_t number = 0;
  std::uint32_t wire_type = 0;
  std::uint64_t scalar = 0;  // varint, fixed64 or fixed32 payload
  std::string_view bytes;    // length-delimited payload
};

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool AtEnd() const { return pos_ == data_.size(); }

  bool Next(WireField& field) {
    std::uint64_t tag = 0;
    if (!Varint(tag) || tag > std::numeric_limits<std::uint32_t>::max()) return false;
    field.number = static_cast<std::uint32_t>(tag >> 3);
    field.wire_type = static_cast<std::uint32_t>(tag & 7);
    if (field.number == 0) return false;
    switch (field.wire_type) {
      case 0:
        return Varint(field.scalar);
      case 1:
        return Fixed(8, field.scalar);
      case 2: {
        std::uint64_t length = 0;
        if (!Varint(length) || length > data_.size() - pos_) return false;
        field.bytes = data_.substr(pos_, static_cast<std::size_t>(length));
        pos_ += static_cast<std::size_t>(length);
        return true;
      }
      case 5:
        return Fixed(4, field.scalar);
      default:
        return false;  // groups (3, 4) are not used by OTLP; 6 and 7 do not exist
    }
  }

 private:
  bool Varint(std::uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ == data_.size()) return false;
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  bool Fixed(std::size_t size, std::uint64_t& value) {
    if (data_.size() - pos_ < size) return false;
    value = 0;
    for (std::size_t i = 0; i < size; ++i) {
      value |= static_cast<std::uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += size;
    return true;
  }

  std::string_view data_;
  std::size_t pos_ = 0;
};

// Calls handle(field) for every field; handle returns false to reject the message. Fields it does
// not know it must accept (return true) so unknown fields are skipped.
template <typename Handle>
bool ForEachField(std::string_view message, Handle&& handle) {
  WireReader reader(message);
  WireField field;
  while (!reader.AtEnd()) {
    if (!reader.Next(field)) return false;
    if (!handle(field)) return false;
  }
  return true;
}

constexpr std::uint32_t kVarint = 0;
constexpr std::uint32_t kFixed64 = 1;
constexpr std::uint32_t kLen = 2;
constexpr std::uint32_t kFixed32 = 5;

bool ReadString(const WireField& field, std::string& out) {
  if (field.wire_type != kLen || !telemetry::IsValidUtf8(field.bytes)) return false;
  out.assign(field.bytes);
  return true;
}

bool ReadUint32(const WireField& field, std::uint32_t& out) {
  if (field.wire_type != kVarint) return false;
  out = static_cast<std::uint32_t>(field.scalar);
  return true;
}

bool ReadId(const WireField& field, std::size_t size, std::string& hex) {
  if (field.wire_type != kLen || field.bytes.size() != size) return false;
  hex = Hex(field.bytes);
  return true;
}

bool DecodeAnyValuePb(std::string_view message, Any& any, int depth);

bool DecodeKeyValuePb(std::string_view message, AnyKv& kv, int depth) {
  return ForEachField(message, [&](const WireField& f) {
    switch (f.number) {
      case 1:
        return ReadString(f, kv.key);
      case 2:
        return f.wire_type == kLen && DecodeAnyValuePb(f.bytes, kv.value, depth + 1);
      default:
        return true;
    }
  });
}

bool DecodeAnyValuePb(std::string_view message, Any& any, int depth) {
  if (depth > kMaxDepth) return false;
  return ForEachField(message, [&](const WireField& f) {
    switch (f.number) {
      case 1:
        any.type = Any::Type::kString;
        return ReadString(f, any.text);
      case 2:
        any.type = Any::Type::kBool;
        any.boolean = f.scalar != 0;
        return f.wire_type == kVarint;
      case 3:
        any.type = Any::Type::kInt;
        any.integer = static_cast<std::int64_t>(f.scalar);
        return f.wire_type == kVarint;
      case 4:
        any.type = Any::Type::kDouble;
        any.real = std::bit_cast<double>(f.scalar);
        return f.wire_type == kFixed64;
      case 5:  // ArrayValue{values = 1}
        any.type = Any::Type::kArray;
        any.items.clear();
        return f.wire_type == kLen && ForEachField(f.bytes, [&](const WireField& g) {
                 if (g.number != 1) return true;
                 if (g.wire_type != kLen) return false;
                 any.items.emplace_back();
                 return DecodeAnyValuePb(g.bytes, any.items.back(), depth + 1);
               });
      case 6:  // KeyValueList{values = 1}
        any.type = Any::Type::kKvList;
        any.entries.clear();
        return f.wire_type == kLen && ForEachField(f.bytes, [&](const WireField& g) {
                 if (g.number != 1) return true;
                 if (g.wire_type != kLen) return false;
                 any.entries.emplace_back();
                 return DecodeKeyValuePb(g.bytes, any.entries.back(), depth + 1);
               });
      case 7:
        any.type = Any::Type::kBytes;
        any.text.assign(f.bytes);
        return f.wire_type == kLen;
      default:
        return true;
    }
  });
}

bool AppendAttributePb(const WireField& field, Attributes& out) {
  if (field.wire_type != kLen) return false;
  AnyKv kv;
  if (!DecodeKeyValuePb(field.bytes, kv, 0)) return false;
  out.push_back(KeyValue{std::move(kv.key), ToAttributeValue(kv.value)});
  return true;
}

bool DecodeEventPb(std::string_view message, DecodedEvent& event) {
  return ForEachField(message, [&](const WireField& f) {
    switch (f.number) {
      case 1:
        event.time_ns = f.scalar;
        return f.wire_type == kFixed64;
      case 2:
        return ReadString(f, event.name);
      case 3:
        return AppendAttributePb(f, event.attributes);
      case 4:
        return ReadUint32(f, event.dropped_attributes_count);
      default:
        return true;
    }
  });
}

bool DecodeLinkPb(std::string_view message, DecodedLink& link) {
  const bool ok = ForEachField(message, [&](const WireField& f) {
    switch (f.number) {
      case 1:
        return ReadId(f, 16, link.trace_id_hex);
      case 2:
        return ReadId(f, 8, link.span_id_hex);
      case 3:
        return ReadString(f, link.trace_state);
      case 4:
        return AppendAttributePb(f, link.attributes);
      case 5:
        return ReadUint32(f, link.dropped_attributes_count);
      case 6:
        link.flags = static_cast<std::uint32_t>(f.scalar);
        return f.wire_type == kFixed32;
      default:
        return true;
    }
  });
  return ok && !link.trace_id_hex.empty() && !link.span_id_hex.empty();
}

bool DecodeSpanPb(std::string_view message, DecodedSpan& span) {
  const bool ok = ForEachField(message, [&](const WireField& f) {
    switch (f.number) {
      case 1:
        return ReadId(f, 16, span.trace_id_hex);
      case 2:
        return ReadId(f, 8, span.span_id_hex);
      case 3:
        return ReadString(f, span.trace_state);
      case 4:
        // An empty parent_span_id means a root span.
        return f.wire_type == kLen && (f.bytes.empty() || ReadId(f, 8, span.parent_span_id_hex));
      case 5:
        return ReadString(f, span.name);
      case 6:
        span.kind = static_cast<int>(f.scalar);
        return f.wire_type == kVarint;
      case 7:
        span.start_ns = f.scalar;
        return f.wire_type == kFixed64;
      case 8:
        span.end_ns = f.scalar;
        return f.wire_type == kFixed64;
      case 9:
        return AppendAttributePb(f, span.attributes);
      case 10:
        return ReadUint32(f, span.dropped_attributes_count);
      case 11:
        if (f.wire_type != kLen) return false;
        span.events.emplace_back();
        return DecodeEventPb(f.bytes, span.events.back());
      case 12:
        return ReadUint32(f, span.dropped_events_count);
      case 13:
        if (f.wire_type != kLen) return false;
        span.links.emplace_back();
        return DecodeLinkPb(f.bytes, span.links.back());
      case 14:
        return ReadUint32(f, span.dropped_links_count);
      case 15:  // Status{message = 2, code = 3}
        return f.wire_type == kLen && ForEachField(f.bytes, [&](const WireField& g) {
                 if (g.number == 2) return ReadString(g, span.status_message);
                 if (g.number == 3) {
                   span.status_code = static_cast<int>(g.scalar);
                   return g.wire_type == kVarint;
                 }
                 return true;
               });
      case 16:
        span.flags = static_cast<std::uint32_t>(f.scalar);
        return f.wire_type == kFixed32;
      default:
        return true;
    }
  });
  return ok && !span.trace_id_hex.empty() && !span.span_id_hex.empty();
}

// ScopeSpans{scope = 1, spans = 2, schema_url = 3}: fields may come in any order, so the scope
// is read first and then stamped on every span.
bool DecodeScopeSpansPb(std::string_view message, const DecodedSpan& outer,
                        std::vector<DecodedSpan>& out) {
  DecodedSpan context = outer;
  std::vector<std::string_view> spans;
  const bool ok = ForEachField(message, [&](const WireField& f) {
    switch (f.number) {
      case 1:  // InstrumentationScope{name = 1, version = 2}
        return f.wire_type == kLen && ForEachField(f.bytes, [&](const WireField& g) {
                 if (g.number == 1) return ReadString(g, context.scope_name);
                 if (g.number == 2) return ReadString(g, context.scope_version);
                 return true;
               });
      case 2:
        if (f.wire_type != kLen) return false;
        spans.push_back(f.bytes);
        return true;
      case 3:
        return ReadString(f, context.scope_schema_url);
      default:
        return true;
    }
  });
  if (!ok) return false;
  for (auto bytes : spans) {
    DecodedSpan span = context;
    if (!DecodeSpanPb(bytes, span)) return false;
    out.push_back(std::move(span));
  }
  return true;
}

bool DecodeResourceSpansPb(std::string_view message, std::size_t resource_index,
                           std::vector<DecodedSpan>& out) {
  DecodedSpan context;
  context.resource_index = resource_index;
  std::vector<std::string_view> scopes;
  const bool ok = ForEachField(message, [&](const WireField& f) {
    switch (f.number) {
      case 1:  // Resource{attributes = 1}
        return f.wire_type == kLen && ForEachField(f.bytes, [&](const WireField& g) {
                 return g.number != 1 || AppendAttributePb(g, context.resource_attributes);
               });
      case 2:
        if (f.wire_type != kLen) return false;
        scopes.push_back(f.bytes);
        return true;
      case 3:
        return ReadString(f, context.resource_schema_url);
      default:
        return true;
    }
  });
  if (!ok) return false;
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    context.scope_index = i;
    if (!DecodeScopeSpansPb(scopes[i], context, out)) return false;
  }
  return true;
}

// ================================ OTLP/JSON ================================

using nlohmann::json;

// proto3 JSON parsers accept the original field name as well as the lowerCamelCase one; null
// means "not set".
const json* Member(const json& object, const char* camel, const char* snake = nullptr) {
  auto it = object.find(camel);
  if (it == object.end() && snake != nullptr) it = object.find(snake);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

template <typename T>
bool ParseDecimal(const std::string& text, T& out) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

// Integers: a JSON number or a decimal string (required for 64-bit, accepted for 32-bit).
template <typename T>
bool ReadInteger(const json* value, T& out) {
  if (value == nullptr) return true;
  if (value->is_number_integer()) {
    if (value->is_number_unsigned()) {
      const auto v = value->get<std::uint64_t>();
      if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) return false;
      out = static_cast<T>(v);
      return true;
    }
    const auto v = value->get<std::int64_t>();
    if (v < static_cast<std::int64_t>(std::numeric_limits<T>::min())) return false;
    if (v > 0 && static_cast<std::uint64_t>(v) >
                     static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      return false;
    }
    out = static_cast<T>(v);
    return true;
  }
  if (value->is_string()) return ParseDecimal(value->get_ref<const std::string&>(), out);
  return false;
}

bool ReadStringJson(const json* value, std::string& out) {
  if (value == nullptr) return true;
  if (!value->is_string()) return false;
  out = value->get<std::string>();
  return true;
}

// OTLP/JSON ids are hex (case-insensitive), not base64.
bool ReadIdJson(const json* value, std::size_t size, std::string& hex, bool required) {
  if (value == nullptr) return !required;
  if (!value->is_string()) return false;
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty()) return !required;
  if (text.size() != 2 * size) return false;
  hex.clear();
  for (char c : text) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    hex += c;
  }
  return true;
}

bool DecodeBase64(const std::string& text, std::string& out) {
  out.clear();
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '+' || c == '-') v = 62;  // standard and URL-safe alphabets are both accepted
    if (c == '/' || c == '_') v = 63;
    if (c == '=') break;
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return true;
}

bool DecodeAnyValueJson(const json& value, Any& any, int depth);

bool DecodeKeyValueJson(const json& value, AnyKv& kv, int depth) {
  if (!value.is_object() || !ReadStringJson(Member(value, "key"), kv.key)) return false;
  const json* inner = Member(value, "value");
  return inner == nullptr || DecodeAnyValueJson(*inner, kv.value, depth + 1);
}

bool DecodeAnyValueJson(const json& value, Any& any, int depth) {
  if (depth > kMaxDepth || !value.is_object()) return false;
  if (const json* v = Member(value, "stringValue", "string_value")) {
    any.type = Any::Type::kString;
    return ReadStringJson(v, any.text);
  }
  if (const json* v = Member(value, "boolValue", "bool_value")) {
    any.type = Any::Type::kBool;
    if (!v->is_boolean()) return false;
    any.boolean = v->get<bool>();
    return true;
  }
  if (const json* v = Member(value, "intValue", "int_value")) {
    any.type = Any::Type::kInt;
    return ReadInteger(v, any.integer);
  }
  if (const json* v = Member(value, "doubleValue", "double_value")) {
    any.type = Any::Type::kDouble;
    if (v->is_number()) {
      any.real = v->get<double>();
      return true;
    }
    if (!v->is_string()) return false;
    // proto3 JSON: non-finite doubles are the strings "NaN", "Infinity", "-Infinity".
    const auto& text = v->get_ref<const std::string&>();
    if (text == "NaN") {
      any.real = std::numeric_limits<double>::quiet_NaN();
    } else if (text == "Infinity") {
      any.real = std::numeric_limits<double>::infinity();
    } else if (text == "-Infinity") {
      any.real = -std::numeric_limits<double>::infinity();
    } else {
      return ParseDecimal(text, any.real);
    }
    return true;
  }
  if (const json* v = Member(value, "arrayValue", "array_value")) {
    any.type = Any::Type::kArray;
    if (!v->is_object()) return false;
    const json* values = Member(*v, "values");
    if (values == nullptr) return true;
    if (!values->is_array()) return false;
    for (const auto& item : *values) {
      any.items.emplace_back();
      if (!DecodeAnyValueJson(item, any.items.back(), depth + 1)) return false;
    }
    return true;
  }
  if (const json* v = Member(value, "kvlistValue", "kvlist_value")) {
    any.type = Any::Type::kKvList;
    if (!v->is_object()) return false;
    const json* values = Member(*v, "values");
    if (values == nullptr) return true;
    if (!values->is_array()) return false;
    for (const auto& item : *values) {
      any.entries.emplace_back();
      if (!DecodeKeyValueJson(item, any.entries.back(), depth + 1)) return false;
    }
    return true;
  }
  if (const json* v = Member(value, "bytesValue", "bytes_value")) {
    any.type = Any::Type::kBytes;
    return v->is_string() && DecodeBase64(v->get_ref<const std::string&>(), any.text);
  }
  return true;  // no member set: an empty AnyValue
}

bool ReadAttributesJson(const json* value, Attributes& out) {
  if (value == nullptr) return true;
  if (!value->is_array()) return false;
  for (const auto& item : *value) {
    AnyKv kv;
    if (!DecodeKeyValueJson(item, kv, 0)) return false;
    out.push_back(KeyValue{std::move(kv.key), ToAttributeValue(kv.value)});
  }
  return true;
}

bool ReadArrayJson(const json* value, const std::function<bool(const json&)>& each) {
  if (value == nullptr) return true;
  if (!value->is_array()) return false;
  for (const auto& item : *value) {
    if (!item.is_object() || !each(item)) return false;
  }
  return true;
}

bool DecodeEventJson(const json& value, DecodedEvent& event) {
  return ReadInteger(Member(value, "timeUnixNano", "time_unix_nano"), event.time_ns) &&
         ReadStringJson(Member(value, "name"), event.name) &&
         ReadAttributesJson(Member(value, "attributes"), event.attributes) &&
         ReadInteger(Member(value, "droppedAttributesCount", "dropped_attributes_count"),
                     event.dropped_attributes_count);
}

bool DecodeLinkJson(const json& value, DecodedLink& link) {
  return ReadIdJson(Member(value, "traceId", "trace_id"), 16, link.trace_id_hex, true) &&
         ReadIdJson(Member(value, "spanId", "span_id"), 8, link.span_id_hex, true) &&
         ReadStringJson(Member(value, "traceState", "trace_state"), link.trace_state) &&
         ReadAttributesJson(Member(value, "attributes"), link.attributes) &&
         ReadInteger(Member(value, "droppedAttributesCount", "dropped_attributes_count"),
                     link.dropped_attributes_count) &&
         ReadInteger(Member(value, "flags"), link.flags);
}

bool DecodeSpanJson(const json& value, DecodedSpan& span) {
  bool ok =
      ReadIdJson(Member(value, "traceId", "trace_id"), 16, span.trace_id_hex, true) &&
      ReadIdJson(Member(value, "spanId", "span_id"), 8, span.span_id_hex, true) &&
      ReadStringJson(Member(value, "traceState", "trace_state"), span.trace_state) &&
      ReadIdJson(Member(value, "parentSpanId", "parent_span_id"), 8, span.parent_span_id_hex,
                 false) &&
      ReadInteger(Member(value, "flags"), span.flags) &&
      ReadStringJson(Member(value, "name"), span.name) &&
      ReadInteger(Member(value, "kind"), span.kind) &&
      ReadInteger(Member(value, "startTimeUnixNano", "start_time_unix_nano"), span.start_ns) &&
      ReadInteger(Member(value, "endTimeUnixNano", "end_time_unix_nano"), span.end_ns) &&
      ReadAttributesJson(Member(value, "attributes"), span.attributes) &&
      ReadInteger(Member(value, "droppedAttributesCount", "dropped_attributes_count"),
                  span.dropped_attributes_count) &&
      ReadInteger(Member(value, "droppedEventsCount", "dropped_events_count"),
                  span.dropped_events_count) &&
      ReadInteger(Member(value, "droppedLinksCount", "dropped_links_count"),
                  span.dropped_links_count) &&
      ReadArrayJson(Member(value, "events"),
                    [&](const json& item) {
                      span.events.emplace_back();
                      return DecodeEventJson(item, span.events.back());
                    }) &&
      ReadArrayJson(Member(value, "links"), [&](const json& item) {
        span.links.emplace_back();
        return DecodeLinkJson(item, span.links.back());
      });
  if (!ok) return false;
  if (const json* status = Member(value, "status")) {
    if (!status->is_object()) return false;
    ok = ReadStringJson(Member(*status, "message"), span.status_message) &&
         ReadInteger(Member(*status, "code"), span.status_code);
  }
  return ok;
}

bool DecodeRequestJson(const json& doc, std::vector<DecodedSpan>& out) {
  if (!doc.is_object()) return false;
  std::size_t resource_index = 0;
  return ReadArrayJson(Member(doc, "resourceSpans", "resource_spans"), [&](const json& rs) {
    DecodedSpan context;
    context.resource_index = resource_index++;
    if (const json* resource = Member(rs, "resource")) {
      if (!resource->is_object() ||
          !ReadAttributesJson(Member(*resource, "attributes"), context.resource_attributes)) {
        return false;
      }
    }
    if (!ReadStringJson(Member(rs, "schemaUrl", "schema_url"), context.resource_schema_url)) {
      return false;
    }
    std::size_t scope_index = 0;
    return ReadArrayJson(Member(rs, "scopeSpans", "scope_spans"), [&](const json& ss) {
      DecodedSpan scoped = context;
      scoped.scope_index = scope_index++;
      if (const json* scope = Member(ss, "scope")) {
        if (!scope->is_object() || !ReadStringJson(Member(*scope, "name"), scoped.scope_name) ||
            !ReadStringJson(Member(*scope, "version"), scoped.scope_version)) {
          return false;
        }
      }
      if (!ReadStringJson(Member(ss, "schemaUrl", "schema_url"), scoped.scope_schema_url)) {
        return false;
      }
      return ReadArrayJson(Member(ss, "spans"), [&](const json& item) {
        DecodedSpan span = scoped;
        if (!DecodeSpanJson(item, span)) return false;
        out.push_back(std::move(span));
        return true;
      });
    });
  });
}

}  // namespace

std::optional<std::vector<DecodedSpan>> DecodeOtlpProtobuf(std::string_view body) {
  std::vector<DecodedSpan> spans;
  std::size_t resource_index = 0;
  const bool ok = ForEachField(body, [&](const WireField& f) {
    if (f.number != 1) return true;
    return f.wire_type == kLen && DecodeResourceSpansPb(f.bytes, resource_index++, spans);
  });
  if (!ok) return std::nullopt;
  return spans;
}

std::optional<std::vector<DecodedSpan>> DecodeOtlpJson(std::string_view body) {
  try {
    const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return std::nullopt;
    std::vector<DecodedSpan> spans;
    if (!DecodeRequestJson(doc, spans)) return std::nullopt;
    return spans;
  } catch (const std::exception&) {
    return std::nullopt;  // e.g. a type error from nlohmann on unexpected input
  }
}

std::optional<std::vector<DecodedSpan>> DecodeOtlpBody(std::string_view body,
                                                       std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string type(content_type.substr(0, semicolon));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/json") return DecodeOtlpJson(body);
  if (type == "application/x-protobuf") return DecodeOtlpProtobuf(body);
  return std::nullopt;
}

}  // namespace hotorder::test
