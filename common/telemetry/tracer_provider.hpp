#pragma once
// Owns the tracing pipeline of one process: resource, sampler, id generator, limits, the span
// processor (and through it the exporter) and the SDK's self-observability counters.

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>

#include "telemetry/ids.hpp"
#include "telemetry/resource.hpp"
#include "telemetry/sampler.hpp"
#include "telemetry/sdk_counters.hpp"
#include "telemetry/span_limits.hpp"
#include "telemetry/span_processor.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::telemetry {

// Everything a span needs after it starts; owned by the provider, read-only once built.
struct TracerSharedState {
  bool enabled = true;
  Resource resource;
  std::unique_ptr<Sampler> sampler;
  std::unique_ptr<IdGenerator> id_generator;
  SpanLimits limits;
  std::unique_ptr<SpanProcessor> processor;  // may be null: spans then go nowhere
  std::shared_ptr<SdkCounters> counters;
};

struct TracerProviderOptions {
  // false: OTEL_SDK_DISABLED. Tracers return non-recording spans that only carry the parent's
  // context, so propagation still works and tracing costs next to nothing.
  bool enabled = true;
  Resource resource;
  std::unique_ptr<Sampler> sampler;            // default: ParentBased(AlwaysOn)
  std::unique_ptr<IdGenerator> id_generator;   // default: RandomIdGenerator
  SpanLimits limits;
  std::unique_ptr<SpanProcessor> processor;
  std::shared_ptr<SdkCounters> counters;       // default: a fresh set
};

class TracerProvider {
 public:
  explicit TracerProvider(TracerProviderOptions options);
  TracerProvider(const TracerProvider&) = delete;
  TracerProvider& operator=(const TracerProvider&) = delete;
  // Shuts down (with a short timeout) if Shutdown was not called.
  ~TracerProvider();

  // The same name and version give the same tracer; valid for the provider's lifetime.
  Tracer& GetTracer(std::string_view name, std::string_view version = {});

  bool ForceFlush(std::chrono::milliseconds timeout) noexcept;
  // Drains and stops the pipeline; idempotent. Spans ended afterwards are dropped and counted.
  bool Shutdown(std::chrono::milliseconds timeout) noexcept;

  const Resource& resource() const noexcept { return shared_.resource; }
  const Sampler& sampler() const noexcept { return *shared_.sampler; }
  SdkCounters& counters() const noexcept { return *shared_.counters; }
  bool enabled() const noexcept { return shared_.enabled; }

 private:
  TracerSharedState shared_;
  std::mutex tracers_mutex_;
  std::deque<Tracer> tracers_;  // a deque: GetTracer hands out references that must stay put
  std::once_flag shutdown_once_;
  bool shutdown_result_ = true;
};

}  // namespace hotorder::telemetry
