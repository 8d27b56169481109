#include "telemetry/span.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <thread>
#include <typeinfo>

#include "telemetry/tracer_provider.hpp"

namespace hotorder::telemetry {
namespace {

Timestamp WallNow() noexcept {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

std::string DemangledTypeName(const std::exception& error) {
  const char* mangled = typeid(error).name();
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string name = (status == 0 && demangled != nullptr) ? demangled : mangled;
  std::free(demangled);
  return name;
}

}  // namespace

class Span::Guard {
 public:
  explicit Guard(const Span& span) noexcept : flag_(span.busy_) {
    while (flag_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
  }
  ~Guard() { flag_.clear(std::memory_order_release); }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;

 private:
  std::atomic_flag& flag_;
};

Span::Span(const SpanContext& context, std::unique_ptr<SpanData> data,
           const TracerSharedState* shared,
           std::chrono::steady_clock::time_point steady_start) noexcept
    : context_(context), data_(std::move(data)), shared_(shared), steady_start_(steady_start) {}

// Moving a handle that another thread is using at the same moment is a caller bug, as with any
// object; the flag therefore starts clear in the new handle.
Span::Span(Span&& other) noexcept
    : context_(std::move(other.context_)),
      data_(std::move(other.data_)),
      shared_(other.shared_),
      steady_start_(other.steady_start_) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    context_ = std::move(other.context_);
    data_ = std::move(other.data_);
    shared_ = other.shared_;
    steady_start_ = other.steady_start_;
  }
  return *this;
}

void Span::SetAttribute(std::string_view key, AttributeValue value) noexcept {
  try {
    Guard guard(*this);
    if (!data_) return;
    telemetry::SetAttribute(data_->attributes, key, std::move(value),
                            shared_->limits.span_attributes, data_->dropped_attributes_count);
  } catch (...) {  // allocation failure: the attribute is lost, the application is not
  }
}

void Span::AddEvent(std::string_view name, Attributes attributes,
                    std::optional<Timestamp> time) noexcept {
  try {
    Guard guard(*this);
    if (!data_) return;
    if (data_->events.size() >= shared_->limits.event_count) {
      ++data_->dropped_events_count;
      return;
    }
    SpanEvent event{std::string(name), time ? *time : WallNow(), {}, 0};
    for (auto& item : attributes) {
      telemetry::SetAttribute(event.attributes, std::move(item),
                              shared_->limits.event_attributes, event.dropped_attributes_count);
    }
    data_->events.push_back(std::move(event));
  } catch (...) {
  }
}

void Span::AddLink(const SpanContext& context, Attributes attributes) noexcept {
  try {
    Guard guard(*this);
    if (!data_ || !context.IsValid()) return;
    if (data_->links.size() >= shared_->limits.link_count) {
      ++data_->dropped_links_count;
      return;
    }
    SpanLink link{context, {}, 0};
    for (auto& item : attributes) {
      telemetry::SetAttribute(link.attributes, std::move(item),
                              shared_->limits.link_attributes, link.dropped_attributes_count);
    }
    data_->links.push_back(std::move(link));
  } catch (...) {
  }
}

void Span::RecordException(const std::exception& error, Attributes attributes) noexcept {
  if (!IsRecording()) return;
  try {
    RecordException(DemangledTypeName(error), error.what(), std::move(attributes));
  } catch (...) {
  }
}

void Span::RecordException(std::string_view type, std::string_view message,
                           Attributes attributes) noexcept {
  if (!IsRecording()) return;
  try {
    // Semantic conventions: an event named "exception" with exception.type and .message.
    attributes.push_back({"exception.type", AttributeValue(type)});
    attributes.push_back({"exception.message", AttributeValue(message)});
    AddEvent("exception", std::move(attributes));
  } catch (...) {
  }
}

void Span::SetStatus(StatusCode code, std::string_view description) noexcept {
  try {
    Guard guard(*this);
    if (!data_ || code == StatusCode::kUnset) return;
    if (data_->status.code == StatusCode::kOk) return;  // Ok is final
    data_->status.code = code;
    data_->status.description = code == StatusCode::kError ? std::string(description) : "";
  } catch (...) {
  }
}

void Span::UpdateName(std::string_view name) noexcept {
  try {
    Guard guard(*this);
    if (data_) data_->name.assign(name);
  } catch (...) {
  }
}

void Span::End(std::optional<Timestamp> end_time) noexcept {
  std::unique_ptr<SpanData> data;
  {
    Guard guard(*this);
    data = std::move(data_);
  }
  if (!data) return;
  if (end_time) {
    data->end_time = *end_time;
  } else if (steady_start_ != std::chrono::steady_clock::time_point{}) {
    data->end_time = data->start_time + std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            std::chrono::steady_clock::now() - steady_start_);
  } else {  // an explicit start time: only the wall clock relates to it
    data->end_time = WallNow();
  }
  // Only sampled spans go on: every processor here feeds an exporter, and exporters receive
  // sampled spans only (RecordOnly spans are visible to the code holding them, no further).
  if (shared_->processor && data->context.IsSampled()) {
    shared_->processor->OnEnd(std::move(data));
  }
}

}  // namespace hotorder::telemetry
