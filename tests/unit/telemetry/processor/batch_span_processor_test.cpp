#include "telemetry/processor/batch_span_processor.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config/env.hpp"
#include "recording_exporter.hpp"
#include "telemetry/sdk_counters.hpp"

namespace hotorder::telemetry {
namespace {

using namespace std::chrono_literals;
using testing::MakeSpan;
using testing::RecordingExporter;
using testing::RecordingExporterState;
using Clock = std::chrono::steady_clock;

// Generous: these deadlines only matter when something is broken, and sanitizer builds are slow.
constexpr auto kPatience = 10s;
constexpr std::chrono::milliseconds kNever = std::chrono::hours(1);

struct Fixture {
  std::shared_ptr<RecordingExporterState> state = std::make_shared<RecordingExporterState>();
  SdkCounters counters;

  std::unique_ptr<BatchSpanProcessor> Make(BatchSpanProcessorOptions options) {
    return std::make_unique<BatchSpanProcessor>(std::make_unique<RecordingExporter>(state),
                                                options, &counters);
  }
};

BatchSpanProcessorOptions Options(std::size_t queue, std::size_t batch,
                                  std::chrono::milliseconds delay) {
  BatchSpanProcessorOptions options;
  options.max_queue_size = queue;
  options.max_export_batch_size = batch;
  options.schedule_delay = delay;
  return options;
}

TEST(BatchSpanProcessor, ExportsFullBatchPromptlyWithoutWaitingForScheduleDelay) {
  Fixture f;
  auto processor = f.Make(Options(64, 4, kNever));
  for (int i = 0; i < 4; ++i) processor->OnEnd(MakeSpan("s" + std::to_string(i)));
  // The schedule delay is an hour: only the early wake-up can deliver within the deadline.
  ASSERT_TRUE(f.state->WaitForSpans(4, Clock::now() + kPatience));
  EXPECT_EQ(f.state->BatchSizes(), (std::vector<std::size_t>{4}));
  EXPECT_EQ(f.state->Names(), (std::vector<std::string>{"s0", "s1", "s2", "s3"}));
}

TEST(BatchSpanProcessor, ExportsOnlyFullBatchesEarlyAndTheRestOnFlush) {
  Fixture f;
  auto processor = f.Make(Options(64, 4, kNever));
  for (int i = 0; i < 7; ++i) processor->OnEnd(MakeSpan("s" + std::to_string(i)));
  ASSERT_TRUE(f.state->WaitForSpans(4, Clock::now() + kPatience));
  ASSERT_TRUE(processor->ForceFlush(kPatience));
  // No drips: the three spans short of a batch waited for the flush.
  EXPECT_EQ(f.state->BatchSizes(), (std::vector<std::size_t>{4, 3}));
}

TEST(BatchSpanProcessor, ExportsOnScheduleDelay) {
  Fixture f;
  const auto start = Clock::now();  // before the worker starts its first timer
  auto processor = f.Make(Options(64, 32, 20ms));
  for (int i = 0; i < 3; ++i) processor->OnEnd(MakeSpan("s" + std::to_string(i)));
  // Below the batch size and nobody flushes: only the timer can export them.
  ASSERT_TRUE(f.state->WaitForSpans(3, Clock::now() + kPatience));
  EXPECT_GE(Clock::now() - start, 20ms);
  EXPECT_EQ(f.state->BatchSizes(), (std::vector<std::size_t>{3}));
  EXPECT_EQ(f.state->force_flush_calls.load(), 0);
}

TEST(BatchSpanProcessor, ZeroScheduleDelayExportsRightAway) {
  Fixture f;
  auto processor = f.Make(Options(64, 32, 0ms));
  processor->OnEnd(MakeSpan("a"));
  ASSERT_TRUE(f.state->WaitForSpans(1, Clock::now() + kPatience));
  processor->OnEnd(MakeSpan("b"));
  ASSERT_TRUE(f.state->WaitForSpans(2, Clock::now() + kPatience));
  EXPECT_EQ(f.state->Names(), (std::vector<std::string>{"a", "b"}));
}

TEST(BatchSpanProcessor, ForceFlushExportsEverythingEndedBeforeIt) {
  Fixture f;
  auto processor = f.Make(Options(2048, 100, kNever));
  std::vector<std::thread> producers;
  for (int t = 0; t < 2; ++t) {
    producers.emplace_back([&processor] {
      for (int i = 0; i < 450; ++i) processor->OnEnd(MakeSpan("x"));
    });
  }
  for (auto& producer : producers) producer.join();
  ASSERT_TRUE(processor->ForceFlush(kPatience));
  // Checked right after the flush returns, with no waiting: it must already be complete.
  EXPECT_EQ(f.state->spans_seen.load(), 900u);
  for (std::size_t size : f.state->BatchSizes()) EXPECT_LE(size, 100u);
  EXPECT_EQ(f.state->force_flush_calls.load(), 1);
  EXPECT_EQ(f.counters.spans_exported.load(), 900u);
}

TEST(BatchSpanProcessor, ForceFlushWithNothingQueuedSucceeds) {
  Fixture f;
  auto processor = f.Make(Options(16, 4, kNever));
  EXPECT_TRUE(processor->ForceFlush(kPatience));
  EXPECT_TRUE(processor->ForceFlush(kPatience));
  EXPECT_EQ(f.state->export_calls.load(), 0);
  EXPECT_EQ(f.state->force_flush_calls.load(), 2);
}

TEST(BatchSpanProcessor, ForceFlushReturnsFalseWhenExportDoesNotFinishInTime) {
  Fixture f;
  f.state->CloseGate();
  auto processor = f.Make(Options(16, 2, kNever));
  processor->OnEnd(MakeSpan("a"));
  processor->OnEnd(MakeSpan("b"));
  ASSERT_TRUE(f.state->WaitForExportEntered(1, Clock::now() + kPatience));
  processor->OnEnd(MakeSpan("c"));
  EXPECT_FALSE(processor->ForceFlush(30ms));
  f.state->Release();
  EXPECT_TRUE(processor->ForceFlush(kPatience));
  EXPECT_EQ(f.state->Names(), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(BatchSpanProcessor, ShutdownDrainsCallsExporterShutdownOnceAndIsIdempotent) {
  Fixture f;
  auto processor = f.Make(Options(64, 32, kNever));
  for (int i = 0; i < 10; ++i) processor->OnEnd(MakeSpan("s"));
  EXPECT_TRUE(processor->Shutdown(kPatience));
  EXPECT_EQ(f.state->spans_seen.load(), 10u);
  EXPECT_EQ(f.state->shutdown_calls.load(), 1);
  EXPECT_TRUE(processor->Shutdown(kPatience));
  EXPECT_TRUE(processor->ForceFlush(kPatience));
  processor.reset();  // the destructor shuts down too
  EXPECT_EQ(f.state->shutdown_calls.load(), 1);
  EXPECT_EQ(f.counters.spans_exported.load(), 10u);
}

TEST(BatchSpanProcessor, DestructorExportsQueuedSpansAndShutsTheExporterDown) {
  Fixture f;
  auto processor = f.Make(Options(64, 32, kNever));
  for (int i = 0; i < 3; ++i) processor->OnEnd(MakeSpan("s"));
  processor.reset();
  EXPECT_EQ(f.state->spans_seen.load(), 3u);
  EXPECT_EQ(f.state->shutdown_calls.load(), 1);
}

TEST(BatchSpanProcessor, OnEndAfterShutdownIsDroppedAndCounted) {
  Fixture f;
  auto processor = f.Make(Options(64, 32, kNever));
  processor->OnEnd(MakeSpan("before"));
  ASSERT_TRUE(processor->Shutdown(kPatience));
  for (int i = 0; i < 3; ++i) processor->OnEnd(MakeSpan("after"));
  processor.reset();
  EXPECT_EQ(f.state->Names(), (std::vector<std::string>{"before"}));
  const auto c = f.counters.Snapshot();
  EXPECT_EQ(c.spans_ended, 4u);
  EXPECT_EQ(c.spans_exported, 1u);
  EXPECT_EQ(c.spans_dropped_after_shutdown, 3u);
  EXPECT_EQ(c.spans_dropped_queue_full, 0u);
}

TEST(BatchSpanProcessor, DropsWhenQueueFull) {
  Fixture f;
  f.state->CloseGate();
  auto processor = f.Make(Options(4, 2, kNever));
  processor->OnEnd(MakeSpan("a"));
  processor->OnEnd(MakeSpan("b"));
  // The worker has taken a and b out of the queue and is stuck in Export: the queue is empty.
  ASSERT_TRUE(f.state->WaitForExportEntered(1, Clock::now() + kPatience));
  for (int i = 0; i < 10; ++i) processor->OnEnd(MakeSpan("q" + std::to_string(i)));
  EXPECT_EQ(f.counters.spans_dropped_queue_full.load(), 6u);
  EXPECT_EQ(f.counters.spans_ended.load(), 12u);
  f.state->Release();
  ASSERT_TRUE(processor->ForceFlush(kPatience));
  // The first four queued made it; later ones were refused, not older ones evicted.
  EXPECT_EQ(f.state->Names(), (std::vector<std::string>{"a", "b", "q0", "q1", "q2", "q3"}));
  EXPECT_EQ(f.counters.spans_exported.load(), 6u);
}

TEST(BatchSpanProcessor, CountsFailedExportsAsDropped) {
  Fixture f;
  f.state->result = ExportResult::kFailure;
  auto processor = f.Make(Options(64, 2, kNever));
  for (int i = 0; i < 5; ++i) processor->OnEnd(MakeSpan("s"));
  ASSERT_TRUE(processor->ForceFlush(kPatience));
  const auto c = f.counters.Snapshot();
  EXPECT_EQ(c.spans_dropped_export_failed, 5u);
  EXPECT_EQ(c.spans_exported, 0u);
  EXPECT_EQ(c.spans_ended, 5u);
}

TEST(BatchSpanProcessor, ShutdownTimeoutDropsWhatIsStillQueued) {
  Fixture f;
  f.state->CloseGate();
  auto processor = f.Make(Options(8, 2, kNever));
  processor->OnEnd(MakeSpan("a"));
  processor->OnEnd(MakeSpan("b"));
  ASSERT_TRUE(f.state->WaitForExportEntered(1, Clock::now() + kPatience));
  for (int i = 0; i < 3; ++i) processor->OnEnd(MakeSpan("late"));
  EXPECT_FALSE(processor->Shutdown(30ms));
  processor->OnEnd(MakeSpan("refused"));
  f.state->Release();
  processor.reset();  // waits for the worker, which finds its deadline gone
  const auto c = f.counters.Snapshot();
  EXPECT_EQ(f.state->Names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.state->shutdown_calls.load(), 1);
  EXPECT_EQ(c.spans_exported, 2u);
  EXPECT_EQ(c.spans_dropped_after_shutdown, 4u);
  EXPECT_EQ(c.spans_ended, 6u);
}

TEST(BatchSpanProcessor, WorksWithoutCounters) {
  auto state = std::make_shared<RecordingExporterState>();
  BatchSpanProcessor processor(std::make_unique<RecordingExporter>(state), Options(4, 2, kNever),
                               nullptr);
  for (int i = 0; i < 6; ++i) processor.OnEnd(MakeSpan("s"));
  ASSERT_TRUE(processor.Shutdown(kPatience));
  processor.OnEnd(MakeSpan("after"));
  EXPECT_GE(state->spans_seen.load(), 4u);
  EXPECT_LE(state->spans_seen.load(), 6u);
}

TEST(BatchSpanProcessor, InvalidOptionsAreReplaced) {
  auto state = std::make_shared<RecordingExporterState>();
  BatchSpanProcessorOptions options;
  options.max_queue_size = 0;
  options.max_export_batch_size = 0;
  options.schedule_delay = -5ms;
  options.export_timeout = -1ms;
  BatchSpanProcessor processor(std::make_unique<RecordingExporter>(state), options);
  EXPECT_EQ(processor.options().max_queue_size, 2048u);
  EXPECT_EQ(processor.options().max_export_batch_size, 512u);
  EXPECT_EQ(processor.options().schedule_delay, 5000ms);
  EXPECT_EQ(processor.options().export_timeout, 30000ms);

  BatchSpanProcessor clamped(std::make_unique<RecordingExporter>(state), Options(10, 50, 1s));
  EXPECT_EQ(clamped.options().max_export_batch_size, 10u);
}

TEST(BatchSpanProcessor, NullExporterDropsEverything) {
  SdkCounters counters;
  BatchSpanProcessor processor(nullptr, Options(4, 2, kNever), &counters);
  processor.OnEnd(MakeSpan("s"));
  EXPECT_TRUE(processor.ForceFlush(kPatience));
  EXPECT_TRUE(processor.Shutdown(kPatience));
  EXPECT_EQ(counters.spans_dropped_after_shutdown.load(), 1u);
}

// Spans carry their producer and sequence number in two counters nothing else reads here.
std::unique_ptr<SpanData> StressSpan(std::uint32_t producer, std::uint32_t sequence) {
  auto span = std::make_unique<SpanData>();
  span->dropped_links_count = producer;
  span->dropped_events_count = sequence;
  return span;
}

constexpr int kProducers = 8;

// Checks per-producer FIFO order inside Export (the worker is the only caller, so plain arrays
// suffice; the non-reentrancy check proves that).
class OrderCheckingExporter final : public SpanExporter {
 public:
  explicit OrderCheckingExporter(std::shared_ptr<RecordingExporterState> state,
                                 std::shared_ptr<std::atomic<int>> order_violations)
      : inner_(state), order_violations_(std::move(order_violations)) {
    last_.fill(-1);
  }
  ExportResult Export(std::span<const std::unique_ptr<SpanData>> batch) noexcept override {
    for (const auto& span : batch) {
      auto& last = last_[span->dropped_links_count];
      const auto sequence = static_cast<std::int64_t>(span->dropped_events_count);
      if (sequence <= last) order_violations_->fetch_add(1);
      last = sequence;
    }
    return inner_.Export(batch);
  }
  bool ForceFlush(std::chrono::milliseconds timeout) noexcept override {
    return inner_.ForceFlush(timeout);
  }
  bool Shutdown(std::chrono::milliseconds timeout) noexcept override {
    return inner_.Shutdown(timeout);
  }

 private:
  RecordingExporter inner_;
  std::shared_ptr<std::atomic<int>> order_violations_;
  std::array<std::int64_t, kProducers> last_{};
};

// `yield_every` > 0 lets the worker in between producer bursts (the machine may have 2 cores),
// so the run mixes exports with drops instead of only overflowing the queue.
void RunStress(std::chrono::microseconds export_latency, std::chrono::milliseconds schedule_delay,
               int spans_per_producer, int yield_every) {
  auto state = std::make_shared<RecordingExporterState>();
  state->keep_names = false;
  state->export_latency = export_latency;
  auto order_violations = std::make_shared<std::atomic<int>>(0);
  SdkCounters counters;
  auto processor = std::make_unique<BatchSpanProcessor>(
      std::make_unique<OrderCheckingExporter>(state, order_violations),
      Options(64, 16, schedule_delay), &counters);

  std::atomic<bool> producing{true};
  std::atomic<int> flush_failures{0};
  // Flushes racing the producers exercise the generation counter and the worker's wake-ups.
  std::atomic<int> flushes{0};
  std::thread flusher([&] {
    // Bounded so the flusher's futex round trips do not dominate a loaded 2-core machine.
    while (producing.load() && flushes.load() < 300) {
      if (!processor->ForceFlush(kPatience)) flush_failures.fetch_add(1);
      flushes.fetch_add(1);
    }
  });
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < spans_per_producer; ++i) {
        processor->OnEnd(StressSpan(static_cast<std::uint32_t>(p), static_cast<std::uint32_t>(i)));
        if (yield_every > 0 && i % yield_every == 0) std::this_thread::yield();
      }
    });
  }
  for (auto& producer : producers) producer.join();
  producing.store(false);
  flusher.join();

  // No lost wake-up: a final flush completes well within its deadline.
  const auto flush_started = Clock::now();
  ASSERT_TRUE(processor->ForceFlush(kPatience));
  EXPECT_LT(Clock::now() - flush_started, kPatience);

  const std::uint64_t produced = std::uint64_t{kProducers} * spans_per_producer;
  const auto c = counters.Snapshot();
  EXPECT_EQ(c.spans_ended, produced);
  EXPECT_EQ(c.spans_exported + c.spans_dropped_queue_full, produced);
  EXPECT_EQ(c.spans_exported, state->spans_seen.load());
  EXPECT_GT(c.spans_exported, 0u);
  EXPECT_EQ(c.spans_dropped_after_shutdown, 0u);
  EXPECT_EQ(c.spans_dropped_export_failed, 0u);
  EXPECT_EQ(flush_failures.load(), 0);
  EXPECT_EQ(state->reentrancy_violations.load(), 0);
  EXPECT_EQ(order_violations->load(), 0);
  for (std::size_t size : state->BatchSizes()) EXPECT_LE(size, 16u);

  ASSERT_TRUE(processor->Shutdown(kPatience));
  EXPECT_EQ(state->shutdown_calls.load(), 1);
  EXPECT_EQ(counters.Snapshot().spans_exported, c.spans_exported);
  std::printf("stress: %llu exported, %llu dropped (queue full), %d export calls, %d flushes\n",
              static_cast<unsigned long long>(c.spans_exported),
              static_cast<unsigned long long>(c.spans_dropped_queue_full),
              state->export_calls.load(), flushes.load());
}

TEST(BatchSpanProcessor, StressWithSlowExporterAccountsForEverySpan) {
  RunStress(/*export_latency=*/200us, /*schedule_delay=*/5ms, /*spans_per_producer=*/20000,
            /*yield_every=*/16);
}

TEST(BatchSpanProcessor, StressWithFastExporterAccountsForEverySpan) {
  RunStress(/*export_latency=*/0us, /*schedule_delay=*/kNever, /*spans_per_producer=*/20000,
            /*yield_every=*/8);
}

TEST(BatchSpanProcessor, StressShutdownRacingProducersAccountsForEverySpan) {
  auto state = std::make_shared<RecordingExporterState>();
  state->keep_names = false;
  SdkCounters counters;
  auto processor = std::make_unique<BatchSpanProcessor>(std::make_unique<RecordingExporter>(state),
                                                        Options(64, 16, 1ms), &counters);
  constexpr int kSpans = 5000;
  std::atomic<int> started{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&] {
      started.fetch_add(1);
      for (int i = 0; i < kSpans; ++i) processor->OnEnd(MakeSpan("s"));
    });
  }
  while (started.load() < 4) std::this_thread::yield();
  EXPECT_TRUE(processor->Shutdown(kPatience));
  for (auto& producer : producers) producer.join();
  processor.reset();  // counts spans that slipped in while Shutdown drained
  const auto c = counters.Snapshot();
  EXPECT_EQ(c.spans_ended, 4u * kSpans);
  EXPECT_EQ(c.spans_exported + c.spans_dropped(), 4u * kSpans);
  EXPECT_EQ(c.spans_exported, state->spans_seen.load());
  EXPECT_EQ(state->shutdown_calls.load(), 1);
  EXPECT_EQ(state->reentrancy_violations.load(), 0);
}

TEST(BatchSpanProcessor, OptionsFromEnv) {
  config::EnvReader env(config::FixedEnv({{"OTEL_BSP_SCHEDULE_DELAY", "250"},
                                          {"OTEL_BSP_EXPORT_TIMEOUT", "1000"},
                                          {"OTEL_BSP_MAX_QUEUE_SIZE", "100"},
                                          {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10"}}));
  const auto options = BatchOptionsFromEnv(env);
  EXPECT_EQ(options.schedule_delay, 250ms);
  EXPECT_EQ(options.export_timeout, 1000ms);
  EXPECT_EQ(options.max_queue_size, 100u);
  EXPECT_EQ(options.max_export_batch_size, 10u);
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(BatchSpanProcessor, OptionsFromEnvDefaults) {
  config::EnvReader env(config::FixedEnv({}));
  const auto options = BatchOptionsFromEnv(env);
  EXPECT_EQ(options.schedule_delay, 5000ms);
  EXPECT_EQ(options.export_timeout, 30000ms);
  EXPECT_EQ(options.max_queue_size, 2048u);
  EXPECT_EQ(options.max_export_batch_size, 512u);
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(BatchSpanProcessor, OptionsFromEnvInvalidValuesWarnAndUseDefaults) {
  config::EnvReader env(config::FixedEnv({{"OTEL_BSP_SCHEDULE_DELAY", "soon"},
                                          {"OTEL_BSP_EXPORT_TIMEOUT", "-1"},
                                          {"OTEL_BSP_MAX_QUEUE_SIZE", "0"},
                                          {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "12.5"}}));
  const auto options = BatchOptionsFromEnv(env);
  EXPECT_EQ(options.schedule_delay, 5000ms);
  EXPECT_EQ(options.export_timeout, 30000ms);
  EXPECT_EQ(options.max_queue_size, 2048u);
  EXPECT_EQ(options.max_export_batch_size, 512u);
  ASSERT_EQ(env.Warnings().size(), 4u);
  EXPECT_NE(env.Warnings()[0].find("OTEL_BSP_SCHEDULE_DELAY"), std::string::npos);
  EXPECT_NE(env.Warnings()[3].find("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"), std::string::npos);
}

TEST(BatchSpanProcessor, OptionsFromEnvClampsBatchSizeToQueueSize) {
  config::EnvReader env(config::FixedEnv(
      {{"OTEL_BSP_MAX_QUEUE_SIZE", "100"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "200"}}));
  const auto options = BatchOptionsFromEnv(env);
  EXPECT_EQ(options.max_queue_size, 100u);
  EXPECT_EQ(options.max_export_batch_size, 100u);
  ASSERT_EQ(env.Warnings().size(), 1u);
  EXPECT_NE(env.Warnings()[0].find("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"), std::string::npos);
}

TEST(BatchSpanProcessor, OptionsFromEnvSmallQueueQuietlyLowersDefaultBatchSize) {
  config::EnvReader env(config::FixedEnv({{"OTEL_BSP_MAX_QUEUE_SIZE", "100"}}));
  const auto options = BatchOptionsFromEnv(env);
  EXPECT_EQ(options.max_export_batch_size, 100u);
  EXPECT_TRUE(env.Warnings().empty());
}

}  // namespace
}  // namespace hotorder::telemetry
