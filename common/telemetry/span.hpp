#pragma once
// A span being recorded: a move-only handle returned by Tracer::StartSpan. Ending it hands the
// finished SpanData to the provider's processor. The handle ends the span when destroyed, and
// every call after End (including a second End) does nothing, so no path can corrupt a span.

#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string_view>

#include "telemetry/attributes.hpp"
#include "telemetry/context.hpp"
#include "telemetry/span_data.hpp"

namespace hotorder::telemetry {

struct TracerSharedState;

class Span {
 public:
  // A non-recording span carrying `context` (invalid by default): what a sampled-out or
  // disabled tracer returns, so propagation still works.
  Span() noexcept = default;
  explicit Span(const SpanContext& context) noexcept : context_(context) {}
  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() { End(); }

  const SpanContext& context() const noexcept { return context_; }
  // True until End for a sampled-in span; false for non-recording spans.
  bool IsRecording() const noexcept { return data_ != nullptr; }

  void SetAttribute(std::string_view key, AttributeValue value) noexcept;
  void AddEvent(std::string_view name, Attributes attributes = {},
                std::optional<Timestamp> time = std::nullopt) noexcept;
  void AddLink(const SpanContext& context, Attributes attributes = {}) noexcept;
  // Adds the spec's "exception" event with exception.type and exception.message. It does not
  // set the status: the caller decides whether the exception is an error of this span.
  void RecordException(const std::exception& error, Attributes attributes = {}) noexcept;
  void RecordException(std::string_view type, std::string_view message,
                       Attributes attributes = {}) noexcept;
  // Spec rules: Ok is final; Unset is ignored; a description is kept only with Error.
  void SetStatus(StatusCode code, std::string_view description = {}) noexcept;
  void UpdateName(std::string_view name) noexcept;
  void End(std::optional<Timestamp> end_time = std::nullopt) noexcept;

 private:
  friend class Tracer;
  Span(const SpanContext& context, std::unique_ptr<SpanData> data,
       const TracerSharedState* shared,
       std::chrono::steady_clock::time_point steady_start) noexcept;

  // Guards data_ against concurrent calls on one handle (the spec requires spans to be safe for
  // concurrent use). A spinlock: critical sections are a few instructions and never block.
  class Guard;

  SpanContext context_;
  std::unique_ptr<SpanData> data_;
  const TracerSharedState* shared_ = nullptr;
  // Duration comes from the monotonic clock; the wall clock only anchors the start.
  std::chrono::steady_clock::time_point steady_start_;
  mutable std::atomic_flag busy_;
};

// The context for work done on behalf of `span`: its span context with the parent's baggage.
// Every error path does both: the exception as an "exception" event, ERROR with its message.
inline void RecordError(Span& span, const std::exception& error) noexcept {
  span.RecordException(error);
  span.SetStatus(StatusCode::kError, error.what());
}

inline Context ContextWithSpan(const Context& parent, const Span& span) {
  return Context{span.context(), parent.baggage};
}

}  // namespace hotorder::telemetry
