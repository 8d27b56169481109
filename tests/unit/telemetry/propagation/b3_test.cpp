// B3Propagator against openzipkin/b3-propagation and the OpenTelemetry B3 requirements.

#include <gtest/gtest.h>

#include <string>

#include "telemetry/propagation/b3.hpp"

namespace hotorder::telemetry {
namespace {

constexpr char kTrace128[] = "80f198ee56343ba864fe8b2a57d3eff7";
constexpr char kTrace64[] = "64fe8b2a57d3eff7";
constexpr char kSpan[] = "e457b5a2e4d86bd1";
constexpr char kParentSpan[] = "05e3ac9a4f6e3b90";

Context ExtractSingle(std::string_view value, Context context = {}) {
  return B3Propagator().Extract(HeaderMap{{"b3", std::string(value)}}, std::move(context));
}

Context ExistingContext() {
  Context context;
  context.span = SpanContext(*TraceId::FromHex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                             *SpanId::FromHex("bbbbbbbbbbbbbbbb"), 0, false);
  return context;
}

TEST(B3Propagator, ExtractsSingleHeaderWithAllFields) {
  const Context context =
      ExtractSingle(std::string(kTrace128) + "-" + kSpan + "-1-" + kParentSpan);
  ASSERT_TRUE(context.span.IsValid());
  EXPECT_TRUE(context.span.IsRemote());
  EXPECT_TRUE(context.span.IsSampled());
  EXPECT_EQ(context.span.trace_id().ToHex(), kTrace128);
  EXPECT_EQ(context.span.span_id().ToHex(), kSpan);  // never the parent span id
}

TEST(B3Propagator, SingleHeaderSamplingStates) {
  const std::string ids = std::string(kTrace128) + "-" + kSpan;
  EXPECT_TRUE(ExtractSingle(ids + "-1").span.IsSampled());
  EXPECT_TRUE(ExtractSingle(ids + "-d").span.IsSampled());  // debug implies accept
  const Context denied = ExtractSingle(ids + "-0");
  EXPECT_TRUE(denied.span.IsValid());
  EXPECT_FALSE(denied.span.IsSampled());
  const Context deferred = ExtractSingle(ids);
  EXPECT_TRUE(deferred.span.IsValid());
  EXPECT_FALSE(deferred.span.IsSampled());
  EXPECT_EQ(deferred.span.flags(), 0);
}

TEST(B3Propagator, SixtyFourBitTraceIdIsLeftPaddedWithZeros) {
  const Context context = ExtractSingle(std::string(kTrace64) + "-" + kSpan + "-1");
  ASSERT_TRUE(context.span.IsValid());
  EXPECT_EQ(context.span.trace_id().ToHex(), "000000000000000064fe8b2a57d3eff7");
}

TEST(B3Propagator, AcceptsUppercaseHex) {
  const Context context = ExtractSingle("80F198EE56343BA864FE8B2A57D3EFF7-E457B5A2E4D86BD1-1");
  ASSERT_TRUE(context.span.IsValid());
  EXPECT_EQ(context.span.trace_id().ToHex(), kTrace128);
  EXPECT_EQ(context.span.span_id().ToHex(), kSpan);
}

TEST(B3Propagator, SamplingOnlyHeaderLeavesContextAsItWas) {
  const Context existing = ExistingContext();
  for (const char* value : {"0", "1", "d"}) {
    EXPECT_EQ(ExtractSingle(value, existing).span, existing.span) << value;
    EXPECT_FALSE(ExtractSingle(value).span.IsValid()) << value;
  }
}

TEST(B3Propagator, MalformedSingleHeaderIsIgnored) {
  const std::string trace = kTrace128;
  const std::string span = kSpan;
  const std::string cases[] = {
      "",
      "-",
      trace,                                                  // no span id
      trace + "-",                                            //
      trace + "-" + span + "-2",                              // unknown sampling state
      trace + "-" + span + "-",                               // empty sampling state
      trace + "-" + span + "-1-",                             // empty parent span id
      trace + "-" + span + "-1-" + kParentSpan + "-extra",    // too many fields
      trace + "-" + span + "-1-05e3ac9a4f6e3b9",              // short parent span id
      trace + "-" + span + "-" + kParentSpan,                 // parent without sampling state
      trace.substr(1) + "-" + span + "-1",                    // 31-hex trace id
      trace.substr(0, 20) + "-" + span + "-1",                // 20-hex trace id
      trace + "-" + span.substr(1) + "-1",                    // 15-hex span id
      trace + "-" + span + "0-1",                             // 17-hex span id
      "00000000000000000000000000000000-" + span + "-1",      // zero trace id
      "0000000000000000-" + span + "-1",                      // zero 64-bit trace id
      trace + "-0000000000000000-1",                          // zero span id
      "80f198ee56343ba864fe8b2a57d3efg7-" + span + "-1",      // non-hex
      trace + "_" + span + "_1",                              // wrong separators
  };
  const Context existing = ExistingContext();
  for (const std::string& value : cases) {
    EXPECT_EQ(ExtractSingle(value, existing).span, existing.span) << "[" << value << "]";
  }
}

TEST(B3Propagator, ExtractsMultipleHeaders) {
  const HeaderMap carrier{{"X-B3-TraceId", kTrace128},
                          {"X-B3-SpanId", kSpan},
                          {"X-B3-ParentSpanId", kParentSpan},
                          {"X-B3-Sampled", "1"}};
  const Context context = B3Propagator(B3Mode::kMultiHeader).Extract(carrier, Context{});
  ASSERT_TRUE(context.span.IsValid());
  EXPECT_TRUE(context.span.IsRemote());
  EXPECT_TRUE(context.span.IsSampled());
  EXPECT_EQ(context.span.trace_id().ToHex(), kTrace128);
  EXPECT_EQ(context.span.span_id().ToHex(), kSpan);
}

TEST(B3Propagator, MultipleHeadersSamplingAndDebug) {
  auto sampled = [](std::vector<std::pair<std::string, std::string>> extra) {
    HeaderMap carrier{{"x-b3-traceid", kTrace64}, {"x-b3-spanid", kSpan}};
    for (const auto& [k, v] : extra) carrier.Add(k, v);
    const Context context = B3Propagator().Extract(carrier, Context{});
    EXPECT_TRUE(context.span.IsValid());
    return context.span.IsSampled();
  };
  EXPECT_TRUE(sampled({{"X-B3-Sampled", "1"}}));
  EXPECT_FALSE(sampled({{"X-B3-Sampled", "0"}}));
  EXPECT_TRUE(sampled({{"X-B3-Sampled", "true"}}));  // legacy, accepted leniently
  EXPECT_FALSE(sampled({{"X-B3-Sampled", "False"}}));
  EXPECT_FALSE(sampled({}));                         // deferred
  EXPECT_TRUE(sampled({{"X-B3-Flags", "1"}}));       // debug implies accept
  EXPECT_TRUE(sampled({{"X-B3-Sampled", "0"}, {"X-B3-Flags", "1"}}));
  EXPECT_FALSE(sampled({{"X-B3-Flags", "0"}}));      // other values are ignored
}

TEST(B3Propagator, MalformedMultipleHeadersAreIgnored) {
  const Context existing = ExistingContext();
  const std::vector<HeaderMap> cases = {
      HeaderMap{{"X-B3-TraceId", kTrace128}},
      HeaderMap{{"X-B3-SpanId", kSpan}, {"X-B3-Sampled", "1"}},
      HeaderMap{{"X-B3-TraceId", kTrace128}, {"X-B3-SpanId", "xyz"}},
      HeaderMap{{"X-B3-TraceId", "123"}, {"X-B3-SpanId", kSpan}},
      HeaderMap{{"X-B3-TraceId", kTrace128}, {"X-B3-SpanId", kSpan}, {"X-B3-Sampled", ""}},
      HeaderMap{{"X-B3-TraceId", kTrace128}, {"X-B3-SpanId", kSpan}, {"X-B3-Sampled", "yes"}},
      HeaderMap{{"X-B3-TraceId", kTrace128}, {"X-B3-SpanId", kSpan}, {"X-B3-ParentSpanId", "-"}},
      HeaderMap{{"X-B3-Sampled", "0"}},
  };
  for (const HeaderMap& carrier : cases) {
    EXPECT_EQ(B3Propagator().Extract(carrier, existing).span, existing.span);
  }
}

TEST(B3Propagator, FirstValueOfARepeatedHeaderWins) {
  HeaderMap carrier{{"x-b3-traceid", kTrace128},
                    {"x-b3-traceid", "11111111111111111111111111111111"},
                    {"x-b3-spanid", kSpan}};
  EXPECT_EQ(B3Propagator().Extract(carrier, Context{}).span.trace_id().ToHex(), kTrace128);
}

TEST(B3Propagator, SingleHeaderTakesPrecedenceOverMultiple) {
  const HeaderMap carrier{{"b3", std::string(kTrace128) + "-" + kSpan + "-0"},
                          {"X-B3-TraceId", "11111111111111111111111111111111"},
                          {"X-B3-SpanId", "2222222222222222"},
                          {"X-B3-Sampled", "1"}};
  for (B3Mode mode : {B3Mode::kSingleHeader, B3Mode::kMultiHeader}) {
    const Context context = B3Propagator(mode).Extract(carrier, Context{});
    EXPECT_EQ(context.span.trace_id().ToHex(), kTrace128);
    EXPECT_FALSE(context.span.IsSampled());
  }
}

TEST(B3Propagator, FallsBackToMultipleHeadersWhenSingleGivesNoContext) {
  for (const char* single : {"0", "garbage"}) {
    const HeaderMap carrier{{"b3", single}, {"X-B3-TraceId", kTrace128}, {"X-B3-SpanId", kSpan}};
    EXPECT_EQ(B3Propagator().Extract(carrier, Context{}).span.span_id().ToHex(), kSpan) << single;
  }
}

SpanContext Sample(std::uint8_t flags) {
  return SpanContext(*TraceId::FromHex(std::string("0000000000000000") + kTrace64),
                     *SpanId::FromHex(kSpan), flags, false);
}

TEST(B3Propagator, InjectsSingleHeaderWithLowercase32HexTraceId) {
  Context context;
  context.span = Sample(TraceFlags::kSampled | TraceFlags::kRandom);
  HeaderMap carrier;
  B3Propagator(B3Mode::kSingleHeader).Inject(context, carrier);
  ASSERT_EQ(carrier.items().size(), 1u);
  EXPECT_EQ(carrier.items()[0].first, "b3");
  EXPECT_EQ(carrier.items()[0].second, "000000000000000064fe8b2a57d3eff7-e457b5a2e4d86bd1-1");

  context.span = Sample(0);
  B3Propagator().Inject(context, carrier);
  EXPECT_EQ(carrier.GetAll("b3"),
            std::vector<std::string_view>{"000000000000000064fe8b2a57d3eff7-e457b5a2e4d86bd1-0"});
}

TEST(B3Propagator, InjectsMultipleHeaders) {
  Context context;
  context.span = Sample(TraceFlags::kSampled);
  HeaderMap carrier;
  B3Propagator(B3Mode::kMultiHeader).Inject(context, carrier);
  ASSERT_EQ(carrier.items().size(), 3u);
  EXPECT_EQ(carrier.GetAll("X-B3-TraceId").at(0), "000000000000000064fe8b2a57d3eff7");
  EXPECT_EQ(carrier.GetAll("X-B3-SpanId").at(0), kSpan);
  EXPECT_EQ(carrier.GetAll("X-B3-Sampled").at(0), "1");
  EXPECT_TRUE(carrier.GetAll("X-B3-ParentSpanId").empty());
}

TEST(B3Propagator, InjectWritesNothingForAnInvalidSpan) {
  HeaderMap carrier;
  B3Propagator(B3Mode::kSingleHeader).Inject(Context{}, carrier);
  B3Propagator(B3Mode::kMultiHeader).Inject(Context{}, carrier);
  EXPECT_TRUE(carrier.items().empty());
}

TEST(B3Propagator, RoundTripsInBothModes) {
  for (B3Mode mode : {B3Mode::kSingleHeader, B3Mode::kMultiHeader}) {
    for (std::uint8_t flags : {std::uint8_t{0}, TraceFlags::kSampled}) {
      Context context;
      context.span = SpanContext(*TraceId::FromHex(kTrace128), *SpanId::FromHex(kSpan), flags,
                                 false);
      HeaderMap carrier;
      const B3Propagator propagator(mode);
      propagator.Inject(context, carrier);
      const Context extracted = propagator.Extract(carrier, Context{});
      EXPECT_EQ(extracted.span.trace_id(), context.span.trace_id());
      EXPECT_EQ(extracted.span.span_id(), context.span.span_id());
      EXPECT_EQ(extracted.span.IsSampled(), context.span.IsSampled());
    }
  }
}

TEST(B3Propagator, FieldsFollowTheInjectFormat) {
  EXPECT_EQ(B3Propagator(B3Mode::kSingleHeader).Fields(), std::vector<std::string>{"b3"});
  EXPECT_EQ(B3Propagator(B3Mode::kMultiHeader).Fields(),
            (std::vector<std::string>{"x-b3-traceid", "x-b3-spanid", "x-b3-sampled"}));
}

}  // namespace
}  // namespace hotorder::telemetry
