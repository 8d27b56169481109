// The export side: OTLP protobuf encoding per span, and the batch processor's OnEnd per span.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "telemetry/ids.hpp"
#include "telemetry/otlp/otlp_encoding.hpp"
#include "telemetry/processor/batch_span_processor.hpp"

namespace hotorder::telemetry {
namespace {

const Resource kResource{{{"service.name", "bench"}, {"host.name", "bench-host"}}, {}};
const InstrumentationScope kScope{"hotorder.bench", "1.0", {}};

std::unique_ptr<SpanData> SpanWith10Attributes(RandomIdGenerator& ids) {
  auto span = std::make_unique<SpanData>();
  span->context = SpanContext(ids.NewTraceId(), ids.NewSpanId(), TraceFlags::kSampled, false);
  span->parent_span_id = ids.NewSpanId();
  span->name = "POST /orders";
  span->kind = SpanKind::kServer;
  span->start_time = Timestamp(std::chrono::nanoseconds(1'700'000'000'000'000'000));
  span->end_time = span->start_time + std::chrono::microseconds(350);
  span->attributes = {{"http.request.method", "POST"}, {"url.path", "/orders"},
                      {"http.route", "/orders"},      {"http.response.status_code", 201},
                      {"server.address", "127.0.0.1"}, {"server.port", 8081},
                      {"network.protocol.version", "1.1"}, {"order.item_count", 3},
                      {"order.total", 42.5},          {"order.priority", true}};
  span->resource = &kResource;
  span->scope = &kScope;
  return span;
}

void BM_OtlpProtobufEncode_10Attributes(benchmark::State& state) {
  constexpr int kBatch = 512;  // the default OTEL_BSP_MAX_EXPORT_BATCH_SIZE
  RandomIdGenerator ids;
  std::vector<std::unique_ptr<SpanData>> batch;
  for (int i = 0; i < kBatch; ++i) batch.push_back(SpanWith10Attributes(ids));
  std::string out;
  for (auto _ : state) {
    otlp::EncodeProtobuf(batch, out);
    benchmark::DoNotOptimize(out.data());
  }
  // Reported per span: the time of one iteration divided by the batch size.
  state.counters["per_span"] = benchmark::Counter(
      kBatch, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["bytes_per_span"] = static_cast<double>(out.size()) / kBatch;
}
BENCHMARK(BM_OtlpProtobufEncode_10Attributes);

class NullExporter final : public SpanExporter {
 public:
  ExportResult Export(std::span<const std::unique_ptr<SpanData>>) noexcept override {
    return ExportResult::kSuccess;
  }
  bool ForceFlush(std::chrono::milliseconds) noexcept override { return true; }
  bool Shutdown(std::chrono::milliseconds) noexcept override { return true; }
};

// Two producer threads hand spans to one processor with default options, as two connections'
// threads of a service would. Between chunks, outside the timed region, the producers make new spans and
// flush, so the queue never overflows: the figure is OnEnd at a steady rate, without drops (a
// producer running flat out would only measure how fast spans can be thrown away).
void BM_BatchProcessorOnEnd(benchmark::State& state) {
  static std::unique_ptr<BatchSpanProcessor> processor;
  static std::shared_ptr<SdkCounters> counters;
  if (state.thread_index() == 0) {
    counters = std::make_shared<SdkCounters>();
    processor = std::make_unique<BatchSpanProcessor>(std::make_unique<NullExporter>(),
                                                     BatchSpanProcessorOptions{}, counters.get());
  }
  constexpr int kChunk = 512;  // two threads' chunks together stay under the 2048-span queue
  std::vector<std::unique_ptr<SpanData>> chunk;
  int next = kChunk;
  for (auto _ : state) {
    if (next == kChunk) {
      state.PauseTiming();
      processor->ForceFlush(std::chrono::seconds(5));
      chunk.clear();
      for (int i = 0; i < kChunk; ++i) {
        auto span = std::make_unique<SpanData>();
        span->name = "span";
        chunk.push_back(std::move(span));
      }
      next = 0;
      state.ResumeTiming();
    }
    processor->OnEnd(std::move(chunk[next++]));
  }
  if (state.thread_index() == 0) {
    processor->Shutdown(std::chrono::seconds(5));
    const auto snapshot = counters->Snapshot();
    state.counters["dropped"] = static_cast<double>(snapshot.spans_dropped());
    state.counters["exported"] = static_cast<double>(snapshot.spans_exported);
    processor.reset();
  }
}
BENCHMARK(BM_BatchProcessorOnEnd)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace hotorder::telemetry
