#include "telemetry/processor/simple_span_processor.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "recording_exporter.hpp"
#include "telemetry/sdk_counters.hpp"

namespace hotorder::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::MakeSpan;
using testing::RecordingExporter;
using testing::RecordingExporterState;

TEST(SimpleSpanProcessor, ExportsEachSpanBeforeOnEndReturns) {
  auto state = std::make_shared<RecordingExporterState>();
  SdkCounters counters;
  SimpleSpanProcessor processor(std::make_unique<RecordingExporter>(state), &counters);
  processor.OnEnd(MakeSpan("first"));
  EXPECT_EQ(state->Names(), (std::vector<std::string>{"first"}));
  processor.OnEnd(MakeSpan("second"));
  EXPECT_EQ(state->Names(), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(state->BatchSizes(), (std::vector<std::size_t>{1, 1}));
  EXPECT_EQ(counters.spans_ended.load(), 2u);
  EXPECT_EQ(counters.spans_exported.load(), 2u);
}

TEST(SimpleSpanProcessor, SerialisesExportsFromManyThreads) {
  auto state = std::make_shared<RecordingExporterState>();
  state->keep_names = false;
  SdkCounters counters;
  SimpleSpanProcessor processor(std::make_unique<RecordingExporter>(state), &counters);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) processor.OnEnd(MakeSpan("s"));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(state->reentrancy_violations.load(), 0);
  EXPECT_EQ(state->spans_seen.load(), 8000u);
  EXPECT_EQ(counters.spans_exported.load(), 8000u);
}

TEST(SimpleSpanProcessor, CountsFailedExports) {
  auto state = std::make_shared<RecordingExporterState>();
  state->result = ExportResult::kFailure;
  SdkCounters counters;
  SimpleSpanProcessor processor(std::make_unique<RecordingExporter>(state), &counters);
  processor.OnEnd(MakeSpan("a"));
  processor.OnEnd(MakeSpan("b"));
  EXPECT_EQ(counters.spans_dropped_export_failed.load(), 2u);
  EXPECT_EQ(counters.spans_exported.load(), 0u);
}

TEST(SimpleSpanProcessor, ForceFlushFlushesTheExporter) {
  auto state = std::make_shared<RecordingExporterState>();
  SimpleSpanProcessor processor(std::make_unique<RecordingExporter>(state));
  EXPECT_TRUE(processor.ForceFlush(1s));
  EXPECT_EQ(state->force_flush_calls.load(), 1);
}

TEST(SimpleSpanProcessor, ShutdownIsIdempotentAndLaterSpansAreDropped) {
  auto state = std::make_shared<RecordingExporterState>();
  SdkCounters counters;
  auto processor =
      std::make_unique<SimpleSpanProcessor>(std::make_unique<RecordingExporter>(state), &counters);
  EXPECT_TRUE(processor->Shutdown(1s));
  EXPECT_TRUE(processor->Shutdown(1s));
  processor->OnEnd(MakeSpan("late"));
  processor.reset();
  EXPECT_EQ(state->shutdown_calls.load(), 1);
  EXPECT_EQ(state->export_calls.load(), 0);
  EXPECT_EQ(counters.spans_ended.load(), 1u);
  EXPECT_EQ(counters.spans_dropped_after_shutdown.load(), 1u);
}

TEST(SimpleSpanProcessor, DestructorShutsTheExporterDown) {
  auto state = std::make_shared<RecordingExporterState>();
  { SimpleSpanProcessor processor(std::make_unique<RecordingExporter>(state)); }
  EXPECT_EQ(state->shutdown_calls.load(), 1);
}

}  // namespace
}  // namespace hotorder::telemetry
