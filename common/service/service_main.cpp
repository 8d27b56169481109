#include "service/service_main.hpp"

#include <chrono>
#include <exception>
#include <string>

#include "http/server.hpp"
#include "telemetry/diagnostics.hpp"
#include "telemetry/tracing_setup.hpp"

namespace hotorder::service {
namespace {

constexpr std::string_view kVersion = "0.1.0";
constexpr std::chrono::seconds kFlushTimeout{5};

log::Logger MakeLogger(const config::EnvReader& env, std::string_view service_name) {
  auto level_name = env.String("LOG_LEVEL", "info");
  auto level = log::ParseLevel(level_name);
  if (!level) env.Warn("LOG_LEVEL=" + level_name + " is not debug|info|warn|error; using info");
  return log::Logger(std::string(service_name), level.value_or(log::Level::kInfo),
                     log::StdoutSink());
}

// The SDK reports its own trouble (an unreachable Collector, dropped spans) through
// diagnostics; a service shows them in its log, rate-limited by the SDK itself.
void RouteDiagnosticsTo(const log::Logger& log) {
  telemetry::SetDiagnosticSink([log](telemetry::DiagnosticLevel level, std::string_view message) {
    switch (level) {
      case telemetry::DiagnosticLevel::kDebug: log.Debug(message, {{"component", "otel-sdk"}}); break;
      case telemetry::DiagnosticLevel::kInfo: log.Info(message, {{"component", "otel-sdk"}}); break;
      case telemetry::DiagnosticLevel::kWarn: log.Warn(message, {{"component", "otel-sdk"}}); break;
      case telemetry::DiagnosticLevel::kError: log.Error(message, {{"component", "otel-sdk"}}); break;
    }
  });
}

void LogConfiguration(const log::Logger& log, const http::ServerOptions& server,
                      const telemetry::TracingSummary& tracing) {
  log.Info("configuration",
           {{"listen_addr", server.listen_address},
            {"port", server.port},
            {"max_handlers", server.max_handlers},
            {"max_connections", server.max_connections},
            {"tracing_enabled", tracing.enabled},
            {"otel_exporter", tracing.exporter},
            {"otel_endpoint", tracing.endpoint},
            {"otel_protocol", tracing.protocol},
            {"otel_sampler", tracing.sampler},
            {"otel_propagators", tracing.propagators},
            {"otel_semconv_stability_opt_in", tracing.semconv_opt_in}});
}

// What the SDK did with this process's spans, once, after the final flush: the benchmark
// harness sums these lines (export efficiency, dropped spans), and a person can see at a glance
// whether anything was lost.
void LogTracingTotals(const log::Logger& log, const telemetry::SdkCountersSnapshot& totals) {
  auto count = [](std::uint64_t n) { return static_cast<std::int64_t>(n); };
  log.Info("tracing totals", {{"spans_started", count(totals.spans_started)},
                              {"spans_ended", count(totals.spans_ended)},
                              {"spans_exported", count(totals.spans_exported)},
                              {"spans_dropped", count(totals.spans_dropped())},
                              {"export_requests", count(totals.export_requests)},
                              {"export_failures", count(totals.export_failures)},
                              {"export_retries", count(totals.export_retries)}});
}

}  // namespace

int Main(const ServiceInfo& info, const AppFactory& make_app) {
  config::EnvReader env(config::ProcessEnv());
  auto log = MakeLogger(env, env.String("OTEL_SERVICE_NAME", info.name));
  RouteDiagnosticsTo(log);
  auto tracing = telemetry::InitTracing(env, info.name, kVersion);
  const auto& tracer = tracing.provider->GetTracer(info.name, kVersion);
  try {
    Runtime runtime{env, tracer, *tracing.propagator, log};
    auto app = make_app(runtime);
    auto options = http::ServerOptionsFromEnv(env, info.default_port);
    http::Server server(options, app->Routes(), {tracer, *tracing.propagator, log},
                        [&app] { return app->Ready(); });
    LogConfiguration(log, options, tracing.summary);
    for (const auto& warning : env.Warnings()) log.Warn(warning);
    server.Run();
    log.Info("stopped accepting; flushing spans");
  } catch (const std::exception& error) {
    log.Error("start-up failed", {{"error", error.what()}});
    tracing.provider->Shutdown(kFlushTimeout);
    return 1;
  }
  tracing.provider->Shutdown(kFlushTimeout);
  LogTracingTotals(log, tracing.provider->counters().Snapshot());
  log.Info("shut down");
  return 0;
}

}  // namespace hotorder::service
