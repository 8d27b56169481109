#include "telemetry/tracing_setup.hpp"

#include "telemetry/otlp/otlp_http_exporter.hpp"
#include "telemetry/processor/batch_span_processor.hpp"
#include "telemetry/processor/semconv_dup_processor.hpp"
#include "telemetry/propagation/composite.hpp"

namespace hotorder::telemetry {
namespace {

std::string JoinFields(const TextMapPropagator& propagator) {
  std::string joined;
  for (const auto& field : propagator.Fields()) {
    if (!joined.empty()) joined += ',';
    joined += field;
  }
  return joined;
}

// OTEL_TRACES_EXPORTER: this SDK exports OTLP/HTTP or nothing.
std::string ExporterName(const config::EnvReader& env) {
  const std::string name = env.String("OTEL_TRACES_EXPORTER", "otlp");
  if (name == "otlp" || name == "none") return name;
  env.Warn("OTEL_TRACES_EXPORTER=\"" + name + "\" is not supported (otlp, none); using otlp");
  return "otlp";
}

}  // namespace

Tracing InitTracing(const config::EnvReader& env, std::string_view default_service_name,
                    std::string_view service_version) {
  Tracing tracing;
  tracing.propagator = PropagatorFromEnv(env);
  tracing.summary.propagators = JoinFields(*tracing.propagator);

  TracerProviderOptions options;
  // Spec: OTEL_SDK_DISABLED disables the SDK for all signals; propagators keep working.
  options.enabled = !env.Bool("OTEL_SDK_DISABLED", false);
  tracing.summary.enabled = options.enabled;
  options.resource = BuildResource(env, default_service_name, service_version);
  options.sampler = SamplerFromEnv(env);
  tracing.summary.sampler = options.sampler->Description();
  options.limits = SpanLimitsFromEnv(env);
  options.counters = std::make_shared<SdkCounters>();

  tracing.summary.exporter = options.enabled ? ExporterName(env) : "none";
  if (tracing.summary.exporter == "otlp") {
    otlp::OtlpExporterOptions otlp_options = otlp::OtlpOptionsFromEnv(env);
    tracing.summary.endpoint = otlp_options.endpoint_url;
    tracing.summary.protocol =
        otlp_options.protocol == otlp::Protocol::kHttpJson ? "http/json" : "http/protobuf";
    auto exporter =
        std::make_unique<otlp::OtlpHttpExporter>(std::move(otlp_options), options.counters.get());
    options.processor = std::make_unique<BatchSpanProcessor>(
        std::move(exporter), BatchOptionsFromEnv(env), options.counters.get());
    const auto opt_in = ParseSemconvOptIn(env.String("OTEL_SEMCONV_STABILITY_OPT_IN", ""));
    tracing.summary.semconv_opt_in = SemconvOptInName(opt_in);
    if (opt_in.any()) {
      options.processor = std::make_unique<SemconvDupProcessor>(
          std::move(options.processor), opt_in, options.limits.span_attributes);
    }
  }
  tracing.provider = std::make_unique<TracerProvider>(std::move(options));
  return tracing;
}

}  // namespace hotorder::telemetry
