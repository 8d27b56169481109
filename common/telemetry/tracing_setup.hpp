#pragma once
// Tracing initialised in one place: everything a service needs, built from the standard
// OpenTelemetry environment variables (OTEL_SDK_DISABLED, OTEL_SERVICE_NAME,
// OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER[_ARG], OTEL_TRACES_EXPORTER, OTEL_PROPAGATORS,
// OTEL_BSP_*, OTEL_EXPORTER_OTLP_*, span limits, OTEL_SEMCONV_STABILITY_OPT_IN). Invalid values
// are warned about through the EnvReader and replaced by defaults.

#include <memory>
#include <string>
#include <string_view>

#include "config/env.hpp"
#include "telemetry/propagation/text_map.hpp"
#include "telemetry/tracer_provider.hpp"

namespace hotorder::telemetry {

// What was configured, for the one start-up log line every service writes.
struct TracingSummary {
  bool enabled = true;
  std::string exporter;  // "otlp" or "none"
  std::string endpoint;
  std::string protocol;
  std::string sampler;
  std::string propagators;
  std::string semconv_opt_in;  // OTEL_SEMCONV_STABILITY_OPT_IN as understood: "" = stable names
};

struct Tracing {
  std::unique_ptr<TracerProvider> provider;
  std::unique_ptr<TextMapPropagator> propagator;
  TracingSummary summary;
};

Tracing InitTracing(const config::EnvReader& env, std::string_view default_service_name,
                    std::string_view service_version);

}  // namespace hotorder::telemetry
