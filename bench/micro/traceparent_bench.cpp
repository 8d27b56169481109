#include <benchmark/benchmark.h>

#include "telemetry/propagation/w3c_trace_context.hpp"

namespace hotorder::telemetry {
namespace {

void BM_TraceparentParse(benchmark::State& state) {
  std::string header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  for (auto _ : state) {
    benchmark::DoNotOptimize(header.data());
    auto context = ParseTraceparent(header);
    benchmark::DoNotOptimize(context);
  }
}
BENCHMARK(BM_TraceparentParse);

void BM_TraceparentFormat(benchmark::State& state) {
  const SpanContext context(*TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                            *SpanId::FromHex("00f067aa0ba902b7"), TraceFlags::kSampled, false);
  char out[kTraceparentSize];
  for (auto _ : state) {
    FormatTraceparent(context, out);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_TraceparentFormat);

}  // namespace
}  // namespace hotorder::telemetry
