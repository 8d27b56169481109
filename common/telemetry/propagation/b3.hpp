#pragma once
// Zipkin B3 propagation (openzipkin/b3-propagation), for talking to Zipkin-instrumented peers.
//
// Extract (both modes, as the OpenTelemetry B3 requirements ask): the single `b3` header first,
// then the multi-header form when `b3` is absent or gives no context. Trace ids of 16 or 32 hex
// digits (a 64-bit id is left-padded with zeros to 128 bits), hex in either case, the first
// value of a repeated header wins. Sampling: 1 = sampled, 0 = not, d (single) or X-B3-Flags: 1
// (multi) = debug, which is recorded as sampled (SpanContext has no debug bit, so debug itself
// is not propagated further). No sampling state means "defer" and yields not-sampled flags. A
// sampling-only header (`b3: 0`) carries no ids, so it leaves the context as it was.
// X-B3-ParentSpanId is validated when present but never used or written (OpenTelemetry does not
// share span ids between client and server).
//
// Inject: lowercase 32-hex trace id, 16-hex span id and 1/0, as `b3` (single) or
// x-b3-traceid / x-b3-spanid / x-b3-sampled (multi).

#include <string>
#include <string_view>
#include <vector>

#include "telemetry/propagation/text_map.hpp"

namespace hotorder::telemetry {

enum class B3Mode { kSingleHeader, kMultiHeader };

inline constexpr std::string_view kB3SingleHeader = "b3";
inline constexpr std::string_view kB3TraceIdHeader = "x-b3-traceid";
inline constexpr std::string_view kB3SpanIdHeader = "x-b3-spanid";
inline constexpr std::string_view kB3ParentSpanIdHeader = "x-b3-parentspanid";
inline constexpr std::string_view kB3SampledHeader = "x-b3-sampled";
inline constexpr std::string_view kB3FlagsHeader = "x-b3-flags";

class B3Propagator final : public TextMapPropagator {
 public:
  explicit B3Propagator(B3Mode mode = B3Mode::kSingleHeader) noexcept : mode_(mode) {}

  B3Mode mode() const noexcept { return mode_; }

  Context Extract(const TextMapReader& carrier, Context context) const noexcept override;
  void Inject(const Context& context, TextMapWriter& carrier) const noexcept override;
  // The headers the configured mode injects (OpenTelemetry: "Fields MUST return the header
  // names that correspond to the configured format").
  std::vector<std::string> Fields() const override;

 private:
  B3Mode mode_;
};

}  // namespace hotorder::telemetry
