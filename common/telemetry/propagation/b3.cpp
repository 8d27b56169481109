#include "telemetry/propagation/b3.hpp"

#include <array>
#include <optional>

namespace hotorder::telemetry {
namespace {

std::string_view TrimOws(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// B3: "When extracting state headers, the first value wins."
std::optional<std::string_view> First(const TextMapReader& carrier, std::string_view key,
                                      std::vector<std::string_view>& storage) {
  storage = carrier.GetAll(key);
  if (storage.empty()) return std::nullopt;
  return TrimOws(storage.front());
}

std::optional<TraceId> ParseTraceId(std::string_view hex) noexcept {
  if (hex.size() == TraceId::kHexSize) return TraceId::FromHex(hex, /*lowercase_only=*/false);
  if (hex.size() != SpanId::kHexSize) return std::nullopt;
  // A 64-bit B3 trace id is the low half of a 128-bit one.
  const std::optional<SpanId> low = SpanId::FromHex(hex, /*lowercase_only=*/false);
  if (!low) return std::nullopt;
  std::array<std::uint8_t, TraceId::kSize> bytes{};
  for (std::size_t i = 0; i < SpanId::kSize; ++i) bytes[SpanId::kSize + i] = low->Bytes()[i];
  return TraceId(bytes);
}

std::optional<SpanId> ParseSpanId(std::string_view hex) noexcept {
  return SpanId::FromHex(hex, /*lowercase_only=*/false);
}

std::optional<SpanContext> MakeContext(std::optional<TraceId> trace_id,
                                       std::optional<SpanId> span_id, bool sampled) noexcept {
  if (!trace_id || !span_id || !trace_id->IsValid() || !span_id->IsValid()) return std::nullopt;
  return SpanContext(*trace_id, *span_id, sampled ? TraceFlags::kSampled : std::uint8_t{0},
                     /*remote=*/true);
}

// b3 = {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]] or just {SamplingState}.
std::optional<SpanContext> ParseSingle(std::string_view value) noexcept {
  std::array<std::string_view, 4> parts;
  std::size_t count = 0;
  while (true) {
    if (count == parts.size()) return std::nullopt;
    const std::size_t dash = value.find('-');
    parts[count++] = value.substr(0, dash);
    if (dash == std::string_view::npos) break;
    value.remove_prefix(dash + 1);
  }
  if (count < 2) return std::nullopt;  // sampling state alone: a decision without ids
  bool sampled = false;                // absent sampling state means "defer"
  if (count >= 3) {
    const std::string_view sampling = parts[2];
    if (sampling == "1" || sampling == "d" || sampling == "D") {
      sampled = true;
    } else if (sampling != "0") {
      return std::nullopt;
    }
  }
  if (count == 4 && !ParseSpanId(parts[3])) return std::nullopt;
  return MakeContext(ParseTraceId(parts[0]), ParseSpanId(parts[1]), sampled);
}

std::optional<SpanContext> ParseMulti(const TextMapReader& carrier) {
  std::vector<std::string_view> storage;
  const std::optional<std::string_view> trace_hex = First(carrier, kB3TraceIdHeader, storage);
  if (!trace_hex) return std::nullopt;
  const std::optional<TraceId> trace_id = ParseTraceId(*trace_hex);
  const std::optional<std::string_view> span_hex = First(carrier, kB3SpanIdHeader, storage);
  if (!span_hex) return std::nullopt;
  const std::optional<SpanId> span_id = ParseSpanId(*span_hex);
  // Absent is fine; present must be well formed (B3: an empty or nonsense value is malformed).
  const auto parent = First(carrier, kB3ParentSpanIdHeader, storage);
  if (parent && !ParseSpanId(*parent)) return std::nullopt;

  bool sampled = false;
  if (auto value = First(carrier, kB3SampledHeader, storage)) {
    // Old tracers sent true/false; B3 allows a lenient reader to accept them.
    if (*value == "1" || EqualsIgnoreCase(*value, "true")) {
      sampled = true;
    } else if (*value != "0" && !EqualsIgnoreCase(*value, "false")) {
      return std::nullopt;
    }
  }
  // Debug is "X-B3-Flags: 1"; "absent or any other value can be ignored". Debug implies accept.
  if (auto flags = First(carrier, kB3FlagsHeader, storage); flags && *flags == "1") sampled = true;
  return MakeContext(trace_id, span_id, sampled);
}

}  // namespace

Context B3Propagator::Extract(const TextMapReader& carrier, Context context) const noexcept {
  try {
    std::vector<std::string_view> storage;
    std::optional<SpanContext> found;
    if (auto single = First(carrier, kB3SingleHeader, storage)) found = ParseSingle(*single);
    if (!found) found = ParseMulti(carrier);
    if (found) context.span = std::move(*found);
  } catch (...) {  // a failing carrier or allocation: leave the context as it was
  }
  return context;
}

void B3Propagator::Inject(const Context& context, TextMapWriter& carrier) const noexcept {
  const SpanContext& span = context.span;
  if (!span.IsValid()) return;
  try {
    std::array<char, TraceId::kHexSize> trace_hex;
    std::array<char, SpanId::kHexSize> span_hex;
    span.trace_id().ToHex(trace_hex.data());
    span.span_id().ToHex(span_hex.data());
    const std::string_view trace(trace_hex.data(), trace_hex.size());
    const std::string_view id(span_hex.data(), span_hex.size());
    const std::string_view sampled = span.IsSampled() ? "1" : "0";
    if (mode_ == B3Mode::kSingleHeader) {
      std::string value;
      value.reserve(trace.size() + id.size() + 4);
      value.append(trace).append("-").append(id).append("-").append(sampled);
      carrier.Set(kB3SingleHeader, value);
    } else {
      carrier.Set(kB3TraceIdHeader, trace);
      carrier.Set(kB3SpanIdHeader, id);
      carrier.Set(kB3SampledHeader, sampled);
    }
  } catch (...) {  // instrumentation must never break the request
  }
}

std::vector<std::string> B3Propagator::Fields() const {
  if (mode_ == B3Mode::kSingleHeader) return {std::string(kB3SingleHeader)};
  return {std::string(kB3TraceIdHeader), std::string(kB3SpanIdHeader),
          std::string(kB3SampledHeader)};
}

}  // namespace hotorder::telemetry
