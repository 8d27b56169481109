// TraceContextPropagator: the header-level rules of W3C Trace Context (how traceparent and
// tracestate headers combine), following the W3C test suite's request scenarios.

#include <gtest/gtest.h>

#include <string>

#include "telemetry/propagation/w3c_trace_context.hpp"

namespace hotorder::telemetry {
namespace {

constexpr char kParent[] = "00-12345678901234567890123456789012-1234567890123456-01";
constexpr char kOtherParent[] = "00-12345678901234567890123456789011-1234567890123456-01";

Context Extract(const HeaderMap& carrier, Context context = {}) {
  return TraceContextPropagator().Extract(carrier, std::move(context));
}

// A context that already holds a span, to show that invalid input leaves it alone.
Context ExistingContext() {
  Context context;
  context.span = SpanContext(*TraceId::FromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                             *SpanId::FromHex("bbbbbbbbbbbbbbbb"), 0, false,
                             TraceState::FromHeader("mine=1"));
  return context;
}

TEST(TraceContextPropagator, ExtractsARemoteSpanContext) {
  const Context context = Extract(HeaderMap{{"traceparent", kParent}});
  ASSERT_TRUE(context.span.IsValid());
  EXPECT_TRUE(context.span.IsRemote());
  EXPECT_TRUE(context.span.IsSampled());
  EXPECT_EQ(context.span.trace_id().ToHex(), "12345678901234567890123456789012");
  EXPECT_EQ(context.span.span_id().ToHex(), "1234567890123456");
  EXPECT_TRUE(context.span.trace_state().empty());
}

TEST(TraceContextPropagator, HeaderNamesAreCaseInsensitive) {
  for (const char* name : {"TraceParent", "TrAcEpArEnT", "TRACEPARENT"}) {
    const Context context = Extract(HeaderMap{{name, kParent}, {"TRACESTATE", "foo=1"}});
    EXPECT_TRUE(context.span.IsValid()) << name;
    EXPECT_EQ(context.span.trace_state().Get("foo"), "1") << name;
  }
}

TEST(TraceContextPropagator, WrongHeaderNamesAreIgnored) {
  for (const char* name : {"trace-parent", "trace.parent", "traceparent "}) {
    EXPECT_FALSE(Extract(HeaderMap{{name, kParent}}).span.IsValid()) << name;
  }
  const Context context = Extract(
      HeaderMap{{"traceparent", kParent}, {"trace-state", "foo=1"}, {"trace.state", "b=2"}});
  EXPECT_TRUE(context.span.IsValid());
  EXPECT_TRUE(context.span.trace_state().empty());
}

TEST(TraceContextPropagator, MultipleTraceparentHeadersAreInvalid) {
  const Context existing = ExistingContext();
  EXPECT_EQ(Extract(HeaderMap{{"traceparent", kOtherParent}, {"traceparent", kParent}}, existing)
                .span,
            existing.span);
  // Even identical copies: the receiver cannot know which one a proxy meant.
  EXPECT_FALSE(
      Extract(HeaderMap{{"traceparent", kParent}, {"TraceParent", kParent}}).span.IsValid());
}

TEST(TraceContextPropagator, InvalidTraceparentLeavesContextAndIgnoresTracestate) {
  const Context existing = ExistingContext();
  const Context context = Extract(
      HeaderMap{{"traceparent", "00-00000000000000000000000000000000-1234567890123456-01"},
                {"tracestate", "foo=1"}},
      existing);
  EXPECT_EQ(context.span, existing.span);
}

TEST(TraceContextPropagator, TracestateWithoutTraceparentIsDiscarded) {
  const Context existing = ExistingContext();
  EXPECT_EQ(Extract(HeaderMap{{"tracestate", "foo=1,bar=2"}}, existing).span, existing.span);
  EXPECT_FALSE(Extract(HeaderMap{{"tracestate", "foo=1"}}).span.IsValid());
}

TEST(TraceContextPropagator, CombinesMultipleTracestateHeadersInOrder) {
  const Context context = Extract(HeaderMap{{"traceparent", kParent},
                                            {"tracestate", "foo=1,bar=2"},
                                            {"tracestate", "rojo=1,congo=2"},
                                            {"Tracestate", "baz=3"}});
  EXPECT_EQ(context.span.trace_state().ToHeader(), "foo=1,bar=2,rojo=1,congo=2,baz=3");
}

TEST(TraceContextPropagator, EmptyTracestateHeadersAreAccepted) {
  EXPECT_TRUE(Extract(HeaderMap{{"traceparent", kParent}, {"tracestate", ""}}).span.IsValid());
  for (const HeaderMap& carrier :
       {HeaderMap{{"traceparent", kParent}, {"tracestate", "foo=1"}, {"tracestate", ""}},
        HeaderMap{{"traceparent", kParent}, {"tracestate", ""}, {"tracestate", "foo=1"}}}) {
    const Context context = Extract(carrier);
    EXPECT_TRUE(context.span.IsValid());
    EXPECT_EQ(context.span.trace_state().ToHeader(), "foo=1");
  }
}

TEST(TraceContextPropagator, InvalidTracestateKeepsTraceparent) {
  for (const char* state : {"FOO=1", "foo=bar=baz", "foo=,bar=3", "@foo=1,bar=2"}) {
    const Context context = Extract(HeaderMap{{"traceparent", kParent}, {"tracestate", state}});
    ASSERT_TRUE(context.span.IsValid()) << state;
    EXPECT_EQ(context.span.trace_id().ToHex(), "12345678901234567890123456789012");
    EXPECT_TRUE(context.span.trace_state().empty()) << state;
  }
}

TEST(TraceContextPropagator, MemberLimitAppliesAcrossHeaders) {
  HeaderMap carrier{{"traceparent", kParent}};
  for (int i = 1; i <= 32; ++i) {
    carrier.Add("tracestate", "bar" + std::to_string(i) + "=" + std::to_string(i));
  }
  EXPECT_EQ(Extract(carrier).span.trace_state().entries().size(), 32u);
  carrier.Add("tracestate", "bar33=33");
  const Context context = Extract(carrier);
  EXPECT_TRUE(context.span.IsValid());
  EXPECT_TRUE(context.span.trace_state().empty());
}

TEST(TraceContextPropagator, RandomFlagIsKept) {
  // W3C Level 2 test_propagates_random_flag.
  const Context context = Extract(
      HeaderMap{{"traceparent", "00-12345678901234567890123456789012-1234567890123456-02"}});
  ASSERT_TRUE(context.span.IsValid());
  EXPECT_EQ(context.span.flags(), TraceFlags::kRandom);
  EXPECT_FALSE(context.span.IsSampled());

  HeaderMap out;
  TraceContextPropagator().Inject(context, out);
  EXPECT_EQ(out.GetAll("traceparent").at(0),
            "00-12345678901234567890123456789012-1234567890123456-02");
}

TEST(TraceContextPropagator, InjectExtractRoundTrip) {
  Context context;
  context.span = SpanContext(*TraceId::FromHex("0af7651916cd43dd8448eb211c80319c"),
                             *SpanId::FromHex("b7ad6b7169203331"),
                             TraceFlags::kSampled | TraceFlags::kRandom, false,
                             TraceState::FromHeader("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
  HeaderMap carrier;
  const TraceContextPropagator propagator;
  propagator.Inject(context, carrier);
  EXPECT_EQ(carrier.GetAll("traceparent").at(0),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03");
  EXPECT_EQ(carrier.GetAll("tracestate").at(0), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");

  const Context extracted = propagator.Extract(carrier, Context{});
  EXPECT_EQ(extracted.span.trace_id(), context.span.trace_id());
  EXPECT_EQ(extracted.span.span_id(), context.span.span_id());
  EXPECT_EQ(extracted.span.flags(), context.span.flags());
  EXPECT_EQ(extracted.span.trace_state(), context.span.trace_state());
  EXPECT_TRUE(extracted.span.IsRemote());
}

TEST(TraceContextPropagator, InjectReplacesExistingHeadersAndSkipsEmptyTracestate) {
  HeaderMap carrier{{"TraceParent", kOtherParent}, {"other", "x"}};
  Context context;
  context.span = SpanContext(*TraceId::FromHex("12345678901234567890123456789012"),
                             *SpanId::FromHex("1234567890123456"), TraceFlags::kSampled, false);
  TraceContextPropagator().Inject(context, carrier);
  EXPECT_EQ(carrier.GetAll("traceparent"), std::vector<std::string_view>{kParent});
  EXPECT_TRUE(carrier.GetAll("tracestate").empty());
  EXPECT_EQ(carrier.GetAll("other").size(), 1u);
}

TEST(TraceContextPropagator, FutureVersionIsDowngradedOnInject) {
  const Context context = Extract(HeaderMap{
      {"traceparent", "cc-12345678901234567890123456789012-1234567890123456-01-future-stuff"}});
  ASSERT_TRUE(context.span.IsValid());
  HeaderMap out;
  TraceContextPropagator().Inject(context, out);
  EXPECT_EQ(out.GetAll("traceparent").at(0), kParent);
}

TEST(TraceContextPropagator, InjectWritesNothingForAnInvalidSpan) {
  HeaderMap carrier;
  Context context;
  context.span = SpanContext(TraceId(), *SpanId::FromHex("1234567890123456"), 1, false,
                             TraceState::FromHeader("foo=1"));
  TraceContextPropagator().Inject(context, carrier);
  EXPECT_TRUE(carrier.items().empty());
}

TEST(TraceContextPropagator, ExtractKeepsBaggage) {
  Context context;
  context.baggage = Baggage().Set("k", "v");
  EXPECT_EQ(Extract(HeaderMap{{"traceparent", kParent}}, context).baggage.Get("k"), "v");
}

TEST(TraceContextPropagator, Fields) {
  EXPECT_EQ(TraceContextPropagator().Fields(),
            (std::vector<std::string>{"traceparent", "tracestate"}));
}

}  // namespace
}  // namespace hotorder::telemetry
