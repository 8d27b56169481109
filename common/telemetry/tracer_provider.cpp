#include "telemetry/tracer_provider.hpp"

namespace hotorder::telemetry {

TracerProvider::TracerProvider(TracerProviderOptions options) {
  shared_.enabled = options.enabled;
  shared_.resource = std::move(options.resource);
  shared_.sampler = options.sampler ? std::move(options.sampler)
                                    : std::make_unique<ParentBasedSampler>(
                                          std::make_unique<AlwaysOnSampler>());
  shared_.id_generator = options.id_generator ? std::move(options.id_generator)
                                              : std::make_unique<RandomIdGenerator>();
  shared_.limits = options.limits;
  shared_.processor = std::move(options.processor);
  shared_.counters =
      options.counters ? std::move(options.counters) : std::make_shared<SdkCounters>();
}

TracerProvider::~TracerProvider() { Shutdown(std::chrono::seconds(5)); }

Tracer& TracerProvider::GetTracer(std::string_view name, std::string_view version) {
  std::lock_guard lock(tracers_mutex_);
  for (auto& tracer : tracers_) {
    if (tracer.scope().name == name && tracer.scope().version == version) return tracer;
  }
  return tracers_.emplace_back(&shared_,
                               InstrumentationScope{std::string(name), std::string(version), {}});
}

bool TracerProvider::ForceFlush(std::chrono::milliseconds timeout) noexcept {
  return shared_.processor ? shared_.processor->ForceFlush(timeout) : true;
}

bool TracerProvider::Shutdown(std::chrono::milliseconds timeout) noexcept {
  try {
    std::call_once(shutdown_once_, [&] {
      if (shared_.processor) shutdown_result_ = shared_.processor->Shutdown(timeout);
    });
  } catch (...) {
    return false;
  }
  return shutdown_result_;
}

}  // namespace hotorder::telemetry
