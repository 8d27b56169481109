#include "support/span_capture.hpp"

#include "telemetry/attributes.hpp"
#include "telemetry/processor/simple_span_processor.hpp"

namespace hotorder::test {

SpanCapture::SpanCapture() {
  auto exporter = std::make_unique<telemetry::InMemorySpanExporter>();
  store_ = exporter->store();
  telemetry::TracerProviderOptions options;
  options.processor = std::make_unique<telemetry::SimpleSpanProcessor>(std::move(exporter));
  provider_ = std::make_unique<telemetry::TracerProvider>(std::move(options));
  tracer_ = &provider_->GetTracer("hotorder-test");
}

SpanCapture::~SpanCapture() = default;

std::optional<telemetry::SpanData> SpanCapture::Only(std::string_view name) const {
  std::optional<telemetry::SpanData> found;
  for (auto& span : Spans()) {
    if (span.name != name) continue;
    if (found) return std::nullopt;
    found = std::move(span);
  }
  return found;
}

std::optional<std::string> StringAttribute(const telemetry::SpanData& span, std::string_view key) {
  const auto* value = telemetry::FindAttribute(span.attributes, key);
  if (value == nullptr) return std::nullopt;
  if (const auto* text = std::get_if<std::string>(&value->variant())) return *text;
  return std::nullopt;
}

std::optional<std::int64_t> IntAttribute(const telemetry::SpanData& span, std::string_view key) {
  const auto* value = telemetry::FindAttribute(span.attributes, key);
  if (value == nullptr) return std::nullopt;
  if (const auto* number = std::get_if<std::int64_t>(&value->variant())) return *number;
  return std::nullopt;
}

}  // namespace hotorder::test
