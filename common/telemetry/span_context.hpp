#pragma once
// The propagated part of a span: ids, flags, tracestate and whether it came from another process.

#include <cstdint>

#include "telemetry/ids.hpp"
#include "telemetry/trace_state.hpp"

namespace hotorder::telemetry {

struct TraceFlags {
  static constexpr std::uint8_t kSampled = 0x01;
  // W3C Trace Context Level 2: the trace id's rightmost 7 bytes are random.
  static constexpr std::uint8_t kRandom = 0x02;
};

class SpanContext {
 public:
  SpanContext() noexcept = default;  // invalid
  SpanContext(TraceId trace_id, SpanId span_id, std::uint8_t flags, bool remote,
              TraceState trace_state = {}) noexcept
      : trace_id_(trace_id),
        span_id_(span_id),
        flags_(flags),
        remote_(remote),
        trace_state_(std::move(trace_state)) {}

  bool IsValid() const noexcept { return trace_id_.IsValid() && span_id_.IsValid(); }
  bool IsSampled() const noexcept { return (flags_ & TraceFlags::kSampled) != 0; }
  bool IsRemote() const noexcept { return remote_; }

  const TraceId& trace_id() const noexcept { return trace_id_; }
  const SpanId& span_id() const noexcept { return span_id_; }
  std::uint8_t flags() const noexcept { return flags_; }
  const TraceState& trace_state() const noexcept { return trace_state_; }

  friend bool operator==(const SpanContext&, const SpanContext&) = default;

 private:
  TraceId trace_id_;
  SpanId span_id_;
  std::uint8_t flags_ = 0;
  bool remote_ = false;
  TraceState trace_state_;
};

}  // namespace hotorder::telemetry
