#pragma once
// A tracer whose ended spans land in memory at once (simple processor), for unit tests that
// assert which spans code under test made:
//
//   hotorder::test::SpanCapture capture;
//   DoWork(capture.tracer());
//   auto spans = capture.Spans();

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "telemetry/processor/in_memory_span_exporter.hpp"
#include "telemetry/span_data.hpp"
#include "telemetry/tracer.hpp"
#include "telemetry/tracer_provider.hpp"

namespace hotorder::test {

class SpanCapture {
 public:
  SpanCapture();
  ~SpanCapture();

  const telemetry::Tracer& tracer() const noexcept { return *tracer_; }
  std::vector<telemetry::SpanData> Spans() const { return store_->GetSpans(); }
  // The one ended span named `name`; nullopt when there is none or more than one.
  std::optional<telemetry::SpanData> Only(std::string_view name) const;
  void Clear() noexcept { store_->Clear(); }

 private:
  std::shared_ptr<telemetry::InMemorySpanStore> store_;
  std::unique_ptr<telemetry::TracerProvider> provider_;
  const telemetry::Tracer* tracer_ = nullptr;
};

// The string value of attribute `key`, or nullopt when absent or not a string.
std::optional<std::string> StringAttribute(const telemetry::SpanData& span, std::string_view key);
// The integer value of attribute `key`, or nullopt when absent or not an integer.
std::optional<std::int64_t> IntAttribute(const telemetry::SpanData& span, std::string_view key);

}  // namespace hotorder::test
