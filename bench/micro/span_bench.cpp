// Span start+end cost through the whole SDK path: sampler, ids, clocks, SpanData, processor.
// The processor discards spans so only the SDK's own work is measured.
#include <benchmark/benchmark.h>

#include "telemetry/tracer_provider.hpp"

namespace hotorder::telemetry {
namespace {

class DiscardingProcessor final : public SpanProcessor {
 public:
  void OnEnd(std::unique_ptr<SpanData>&& span) noexcept override { span.reset(); }
  bool ForceFlush(std::chrono::milliseconds) noexcept override { return true; }
  bool Shutdown(std::chrono::milliseconds) noexcept override { return true; }
};

TracerProvider& Provider() {
  static TracerProvider provider([] {
    TracerProviderOptions options;
    options.resource = Resource{{{"service.name", "bench"}}, {}};
    options.processor = std::make_unique<DiscardingProcessor>();
    return options;
  }());
  return provider;
}

void BM_SpanStartEnd_NoAttributes(benchmark::State& state) {
  Tracer& tracer = Provider().GetTracer("bench");
  const Context root;
  for (auto _ : state) {
    Span span = tracer.StartSpan("POST /orders", root, {.kind = SpanKind::kServer});
    span.End();
  }
}
BENCHMARK(BM_SpanStartEnd_NoAttributes);

void BM_SpanStartEnd_10Attributes(benchmark::State& state) {
  Tracer& tracer = Provider().GetTracer("bench");
  const Context root;
  for (auto _ : state) {
    Span span = tracer.StartSpan("POST /orders", root, {.kind = SpanKind::kServer});
    span.SetAttribute("http.request.method", "POST");
    span.SetAttribute("url.path", "/orders");
    span.SetAttribute("http.route", "/orders");
    span.SetAttribute("http.response.status_code", 201);
    span.SetAttribute("server.address", "127.0.0.1");
    span.SetAttribute("server.port", 8081);
    span.SetAttribute("network.protocol.version", "1.1");
    span.SetAttribute("order.item_count", 3);
    span.SetAttribute("order.total", 42.5);
    span.SetAttribute("order.priority", true);
    span.End();
  }
}
BENCHMARK(BM_SpanStartEnd_10Attributes);

}  // namespace
}  // namespace hotorder::telemetry
