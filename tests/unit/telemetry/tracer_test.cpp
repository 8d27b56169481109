#include "telemetry/tracer.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <thread>

#include "telemetry/tracer_provider.hpp"

namespace hotorder::telemetry {
namespace {

// Keeps every ended span; the simplest processor that lets a test look at what a span recorded.
class CollectingProcessor final : public SpanProcessor {
 public:
  void OnEnd(std::unique_ptr<SpanData>&& span) noexcept override {
    std::lock_guard lock(mutex_);
    spans_.push_back(std::move(span));
  }
  bool ForceFlush(std::chrono::milliseconds) noexcept override { return true; }
  bool Shutdown(std::chrono::milliseconds) noexcept override {
    ++shutdowns;
    return true;
  }
  std::vector<std::unique_ptr<SpanData>> Take() {
    std::lock_guard lock(mutex_);
    return std::move(spans_);
  }
  int shutdowns = 0;

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<SpanData>> spans_;
};

class TracerTest : public ::testing::Test {
 protected:
  TracerProvider& Provider(TracerProviderOptions options = {}) {
    auto processor = std::make_unique<CollectingProcessor>();
    processor_ = processor.get();
    options.processor = std::move(processor);
    options.resource = Resource{{{"service.name", "test"}}, {}};
    provider_ = std::make_unique<TracerProvider>(std::move(options));
    return *provider_;
  }
  Tracer& TheTracer() { return Provider().GetTracer("hotorder.test", "1.0"); }

  CollectingProcessor* processor_ = nullptr;
  std::unique_ptr<TracerProvider> provider_;
};

TEST_F(TracerTest, RootSpanStartsNewSampledRandomTrace) {
  Tracer& tracer = TheTracer();
  Span span = tracer.StartSpan("root", Context{}, {.kind = SpanKind::kServer});
  ASSERT_TRUE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid());
  EXPECT_TRUE(span.context().IsSampled());
  EXPECT_FALSE(span.context().IsRemote());
  EXPECT_EQ(span.context().flags(), TraceFlags::kSampled | TraceFlags::kRandom);
  span.End();
  auto spans = processor_->Take();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]->name, "root");
  EXPECT_EQ(spans[0]->kind, SpanKind::kServer);
  EXPECT_FALSE(spans[0]->parent_span_id.IsValid());
  EXPECT_EQ(spans[0]->scope->name, "hotorder.test");
  EXPECT_EQ(spans[0]->scope->version, "1.0");
  EXPECT_NE(spans[0]->resource, nullptr);
}

TEST_F(TracerTest, ChildSharesTraceAndPointsAtParent) {
  Tracer& tracer = TheTracer();
  auto remote_trace = *TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  auto remote_span = *SpanId::FromHex("00f067aa0ba902b7");
  Context incoming{SpanContext(remote_trace, remote_span, TraceFlags::kSampled, true,
                               TraceState::FromHeader("vendor=value")),
                   {}};
  Span server = tracer.StartSpan("server", incoming);
  Span child = tracer.StartSpan("child", ContextWithSpan(incoming, server));
  EXPECT_EQ(server.context().trace_id(), remote_trace);
  EXPECT_EQ(child.context().trace_id(), remote_trace);
  // No random flag: the parent did not claim a random trace id.
  EXPECT_EQ(server.context().flags(), TraceFlags::kSampled);
  child.End();
  server.End();
  auto spans = processor_->Take();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]->parent_span_id, server.context().span_id());
  EXPECT_FALSE(spans[0]->parent_is_remote);
  EXPECT_EQ(spans[1]->parent_span_id, remote_span);
  EXPECT_TRUE(spans[1]->parent_is_remote);
  EXPECT_EQ(spans[1]->context.trace_state().Get("vendor"), std::optional<std::string_view>("value"));
}

TEST_F(TracerTest, UnsampledParentGivesNonRecordingSpanThatStillPropagates) {
  Tracer& tracer = TheTracer();
  RandomIdGenerator ids;
  Context incoming{SpanContext(ids.NewTraceId(), ids.NewSpanId(), 0, true), {}};
  Span span = tracer.StartSpan("dropped", incoming);
  EXPECT_FALSE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid());
  EXPECT_FALSE(span.context().IsSampled());
  EXPECT_EQ(span.context().trace_id(), incoming.span.trace_id());
  EXPECT_NE(span.context().span_id(), incoming.span.span_id());
  span.SetAttribute("ignored", 1);
  span.End();
  EXPECT_TRUE(processor_->Take().empty());
  EXPECT_EQ(provider_->counters().Snapshot().spans_started, 0u);
}

TEST_F(TracerTest, RecordsAttributesEventsLinksAndStatus) {
  Tracer& tracer = TheTracer();
  RandomIdGenerator ids;
  SpanContext linked(ids.NewTraceId(), ids.NewSpanId(), TraceFlags::kSampled, false);
  Span span = tracer.StartSpan("work", Context{},
                               {.attributes = {{"at.start", true}},
                                .links = {SpanLink{linked, {{"link.attr", "x"}}, 0}}});
  span.SetAttribute("order.item_count", 3);
  span.SetAttribute("ratio", 0.5);
  span.SetAttribute("tags", std::vector<std::string>{"a", "b"});
  span.AddEvent("checkpoint", {{"step", 1}});
  span.RecordException(std::invalid_argument("qty must be positive"));
  span.SetStatus(StatusCode::kError, "bad input");
  span.End();
  auto spans = processor_->Take();
  ASSERT_EQ(spans.size(), 1u);
  const SpanData& data = *spans[0];
  EXPECT_EQ(data.attributes.size(), 4u);
  EXPECT_EQ(std::get<std::int64_t>(FindAttribute(data.attributes, "order.item_count")->variant()), 3);
  ASSERT_EQ(data.links.size(), 1u);
  EXPECT_EQ(data.links[0].context, linked);
  ASSERT_EQ(data.events.size(), 2u);
  EXPECT_EQ(data.events[1].name, "exception");
  EXPECT_EQ(std::get<std::string>(FindAttribute(data.events[1].attributes, "exception.type")->variant()),
            "std::invalid_argument");
  EXPECT_EQ(std::get<std::string>(
                FindAttribute(data.events[1].attributes, "exception.message")->variant()),
            "qty must be positive");
  EXPECT_EQ(data.status.code, StatusCode::kError);
  EXPECT_EQ(data.status.description, "bad input");
}

TEST_F(TracerTest, StatusRulesOkIsFinalAndUnsetIgnored) {
  Tracer& tracer = TheTracer();
  Span span = tracer.StartSpan("s", Context{});
  span.SetStatus(StatusCode::kOk, "ignored description");
  span.SetStatus(StatusCode::kError, "too late");
  span.SetStatus(StatusCode::kUnset);
  span.End();
  auto spans = processor_->Take();
  EXPECT_EQ(spans.at(0)->status.code, StatusCode::kOk);
  EXPECT_EQ(spans.at(0)->status.description, "");
}

TEST_F(TracerTest, EndingTwiceOrTouchingAfterEndIsHarmless) {
  Tracer& tracer = TheTracer();
  Span span = tracer.StartSpan("once", Context{});
  span.End();
  span.End();
  span.SetAttribute("late", 1);
  span.AddEvent("late");
  span.SetStatus(StatusCode::kError, "late");
  EXPECT_FALSE(span.IsRecording());
  auto spans = processor_->Take();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_TRUE(spans[0]->attributes.empty());
}

TEST_F(TracerTest, DestructorEndsSpanAndMoveTransfersOwnership) {
  Tracer& tracer = TheTracer();
  {
    Span first = tracer.StartSpan("moved", Context{});
    Span second = std::move(first);
    EXPECT_FALSE(first.IsRecording());  // NOLINT(bugprone-use-after-move): the point of the test
    EXPECT_TRUE(second.IsRecording());
  }
  EXPECT_EQ(processor_->Take().size(), 1u);
}

TEST_F(TracerTest, ExplicitTimestampsAreKept) {
  Tracer& tracer = TheTracer();
  const Timestamp start{std::chrono::nanoseconds(1'700'000'000'123'456'789)};
  const Timestamp end = start + std::chrono::milliseconds(5);
  Span span = tracer.StartSpan("timed", Context{}, {.start_time = start});
  span.End(end);
  auto spans = processor_->Take();
  EXPECT_EQ(spans.at(0)->start_time, start);
  EXPECT_EQ(spans.at(0)->end_time, end);
}

TEST_F(TracerTest, DurationComesFromTheMonotonicClock) {
  Tracer& tracer = TheTracer();
  Span span = tracer.StartSpan("measured", Context{});
  span.End();
  auto spans = processor_->Take();
  EXPECT_GE(spans.at(0)->end_time, spans.at(0)->start_time);
}

TEST_F(TracerTest, LimitsDropAndCount) {
  TracerProviderOptions options;
  options.limits.span_attributes.count = 2;
  options.limits.event_count = 1;
  options.limits.link_count = 0;
  Tracer& tracer = Provider(std::move(options)).GetTracer("t");
  RandomIdGenerator ids;
  Span span = tracer.StartSpan("limited", Context{});
  for (int i = 0; i < 5; ++i) span.SetAttribute("k" + std::to_string(i), i);
  span.AddEvent("one");
  span.AddEvent("two");
  span.AddLink(SpanContext(ids.NewTraceId(), ids.NewSpanId(), 1, false));
  span.End();
  auto spans = processor_->Take();
  const SpanData& data = *spans.at(0);
  EXPECT_EQ(data.attributes.size(), 2u);
  EXPECT_EQ(data.dropped_attributes_count, 3u);
  EXPECT_EQ(data.events.size(), 1u);
  EXPECT_EQ(data.dropped_events_count, 1u);
  EXPECT_EQ(data.links.size(), 0u);
  EXPECT_EQ(data.dropped_links_count, 1u);
}

TEST_F(TracerTest, ConcurrentUseOfOneSpanIsSafe) {
  Tracer& tracer = TheTracer();
  Span span = tracer.StartSpan("shared", Context{});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&span, t] {
      for (int i = 0; i < 100; ++i) span.AddEvent("e" + std::to_string(t));
    });
  }
  for (auto& thread : threads) thread.join();
  span.End();
  EXPECT_EQ(processor_->Take().at(0)->events.size(), 128u);  // the default event limit
}

TEST_F(TracerTest, DisabledSdkReturnsParentContextAndRecordsNothing) {
  Tracer& tracer = Provider({.enabled = false}).GetTracer("t");
  RandomIdGenerator ids;
  Context incoming{SpanContext(ids.NewTraceId(), ids.NewSpanId(), 1, true), {}};
  Span span = tracer.StartSpan("disabled", incoming);
  EXPECT_FALSE(span.IsRecording());
  EXPECT_EQ(span.context(), incoming.span);
  span.End();
  EXPECT_TRUE(processor_->Take().empty());
  EXPECT_EQ(provider_->counters().Snapshot().spans_started, 0u);
}

TEST_F(TracerTest, GetTracerReturnsSameTracerForSameScope) {
  TracerProvider& provider = Provider();
  EXPECT_EQ(&provider.GetTracer("a", "1"), &provider.GetTracer("a", "1"));
  EXPECT_NE(&provider.GetTracer("a", "1"), &provider.GetTracer("a", "2"));
}

TEST_F(TracerTest, ShutdownIsIdempotent) {
  TracerProvider& provider = Provider();
  EXPECT_TRUE(provider.Shutdown(std::chrono::seconds(1)));
  EXPECT_TRUE(provider.Shutdown(std::chrono::seconds(1)));
  EXPECT_EQ(processor_->shutdowns, 1);
}

}  // namespace
}  // namespace hotorder::telemetry
