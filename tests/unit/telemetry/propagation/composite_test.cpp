// CompositePropagator and the OTEL_PROPAGATORS selection.

#include <gtest/gtest.h>

#include <string>

#include "config/env.hpp"
#include "telemetry/propagation/b3.hpp"
#include "telemetry/propagation/composite.hpp"
#include "telemetry/propagation/w3c_baggage.hpp"
#include "telemetry/propagation/w3c_trace_context.hpp"

namespace hotorder::telemetry {
namespace {

constexpr char kParent[] = "00-12345678901234567890123456789012-1234567890123456-01";

// Records calls so ordering can be observed.
class RecordingPropagator final : public TextMapPropagator {
 public:
  RecordingPropagator(std::string name, std::vector<std::string>* log)
      : name_(std::move(name)), log_(log) {}
  Context Extract(const TextMapReader&, Context context) const noexcept override {
    log_->push_back("extract " + name_);
    context.baggage = context.baggage.Set("last", name_);
    return context;
  }
  void Inject(const Context&, TextMapWriter& carrier) const noexcept override {
    log_->push_back("inject " + name_);
    carrier.Set("x-" + name_, "1");
  }
  std::vector<std::string> Fields() const override { return {"x-" + name_, "shared"}; }

 private:
  std::string name_;
  std::vector<std::string>* log_;
};

std::unique_ptr<TextMapPropagator> FromEnv(const char* value, std::vector<std::string>* warnings,
                                           bool set = true) {
  config::EnvReader env(set ? config::FixedEnv({{"OTEL_PROPAGATORS", value}})
                            : config::FixedEnv({}));
  auto propagator = PropagatorFromEnv(env);
  *warnings = env.Warnings();
  return propagator;
}

std::size_t Count(const TextMapPropagator& propagator) {
  const auto* composite = dynamic_cast<const CompositePropagator*>(&propagator);
  return composite == nullptr ? 0 : composite->propagators().size();
}

TEST(CompositePropagator, ExtractsAndInjectsInOrder) {
  std::vector<std::string> log;
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  parts.push_back(std::make_unique<RecordingPropagator>("a", &log));
  parts.push_back(nullptr);
  parts.push_back(std::make_unique<RecordingPropagator>("b", &log));
  const CompositePropagator composite(std::move(parts));
  EXPECT_EQ(composite.propagators().size(), 2u);  // the null entry is dropped

  const Context context = composite.Extract(HeaderMap{}, Context{});
  EXPECT_EQ(context.baggage.Get("last"), "b");  // b saw a's result
  HeaderMap carrier;
  composite.Inject(context, carrier);
  EXPECT_EQ(log, (std::vector<std::string>{"extract a", "extract b", "inject a", "inject b"}));
  EXPECT_EQ(carrier.items().size(), 2u);
  EXPECT_EQ(composite.Fields(), (std::vector<std::string>{"x-a", "shared", "x-b"}));
}

TEST(CompositePropagator, EmptyCompositeDoesNothing) {
  const CompositePropagator composite({});
  Context context;
  context.baggage = Baggage().Set("k", "v");
  HeaderMap carrier{{"traceparent", kParent}};
  EXPECT_EQ(composite.Extract(carrier, context).baggage, context.baggage);
  EXPECT_FALSE(composite.Extract(carrier, context).span.IsValid());
  HeaderMap out;
  composite.Inject(context, out);
  EXPECT_TRUE(out.items().empty());
  EXPECT_TRUE(composite.Fields().empty());
}

TEST(CompositePropagator, TraceContextAndBaggageRoundTrip) {
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  parts.push_back(std::make_unique<TraceContextPropagator>());
  parts.push_back(std::make_unique<BaggagePropagator>());
  const CompositePropagator composite(std::move(parts));
  const Context context =
      composite.Extract(HeaderMap{{"traceparent", kParent}, {"tracestate", "congo=t61rcWkgMzE"},
                                  {"baggage", "userId=alice"}},
                        Context{});
  EXPECT_TRUE(context.span.IsValid());
  EXPECT_EQ(context.baggage.Get("userId"), "alice");
  HeaderMap out;
  composite.Inject(context, out);
  EXPECT_EQ(out.GetAll("traceparent").at(0), kParent);
  EXPECT_EQ(out.GetAll("tracestate").at(0), "congo=t61rcWkgMzE");
  EXPECT_EQ(out.GetAll("baggage").at(0), "userId=alice");
}

TEST(CompositePropagator, LaterFormatWinsWhenBothFindASpan) {
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  parts.push_back(std::make_unique<B3Propagator>());
  parts.push_back(std::make_unique<TraceContextPropagator>());
  const CompositePropagator composite(std::move(parts));
  const Context context = composite.Extract(
      HeaderMap{{"b3", "11111111111111111111111111111111-2222222222222222-1"},
                {"traceparent", kParent}},
      Context{});
  EXPECT_EQ(context.span.trace_id().ToHex(), "12345678901234567890123456789012");
}

TEST(PropagatorFromEnv, DefaultsToTraceContextAndBaggage) {
  for (bool set : {false, true}) {
    std::vector<std::string> warnings;
    const auto propagator = FromEnv("  ", &warnings, set);  // unset, or empty after trimming
    EXPECT_EQ(propagator->Fields(),
              (std::vector<std::string>{"traceparent", "tracestate", "baggage"}));
    EXPECT_EQ(Count(*propagator), 2u);
    EXPECT_TRUE(warnings.empty());
  }
}

TEST(PropagatorFromEnv, NamesAreTrimmedAndCaseInsensitive) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv(" TraceContext ,\tBAGGAGE , B3multi ", &warnings);
  EXPECT_EQ(propagator->Fields(),
            (std::vector<std::string>{"traceparent", "tracestate", "baggage", "x-b3-traceid",
                                      "x-b3-spanid", "x-b3-sampled"}));
  EXPECT_TRUE(warnings.empty());
}

TEST(PropagatorFromEnv, B3MeansTheSingleHeader) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv("b3", &warnings);
  EXPECT_EQ(propagator->Fields(), std::vector<std::string>{"b3"});
  Context context;
  context.span = *ParseTraceparent(kParent);
  HeaderMap out;
  propagator->Inject(context, out);
  EXPECT_EQ(out.GetAll("b3").at(0), "12345678901234567890123456789012-1234567890123456-1");
}

TEST(PropagatorFromEnv, DuplicatesAreRegisteredOnce) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv("tracecontext,baggage,TRACECONTEXT,baggage", &warnings);
  EXPECT_EQ(Count(*propagator), 2u);
  EXPECT_TRUE(warnings.empty());
}

TEST(PropagatorFromEnv, EmptyListItemsAreSkipped) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv("tracecontext,, ,baggage,", &warnings);
  EXPECT_EQ(Count(*propagator), 2u);
  EXPECT_TRUE(warnings.empty());
}

TEST(PropagatorFromEnv, UnknownNameWarnsAndIsSkipped) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv("tracecontext,jaeger,xray", &warnings);
  EXPECT_EQ(propagator->Fields(), (std::vector<std::string>{"traceparent", "tracestate"}));
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("OTEL_PROPAGATORS"), std::string::npos);
  EXPECT_NE(warnings[0].find("\"jaeger\""), std::string::npos);
  EXPECT_NE(warnings[1].find("\"xray\""), std::string::npos);
}

TEST(PropagatorFromEnv, NoUsableNameFallsBackToTheDefaultWithAWarning) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv("zipkin", &warnings);
  EXPECT_EQ(propagator->Fields(),
            (std::vector<std::string>{"traceparent", "tracestate", "baggage"}));
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("\"zipkin\""), std::string::npos);
  EXPECT_NE(warnings[1].find("tracecontext,baggage"), std::string::npos);
}

TEST(PropagatorFromEnv, NoneAloneGivesACompositeOfNothing) {
  for (const char* value : {"none", " NONE ", "none,none"}) {
    std::vector<std::string> warnings;
    const auto propagator = FromEnv(value, &warnings);
    ASSERT_NE(dynamic_cast<const CompositePropagator*>(propagator.get()), nullptr);
    EXPECT_EQ(Count(*propagator), 0u) << value;
    EXPECT_TRUE(propagator->Fields().empty());
    EXPECT_TRUE(warnings.empty()) << value;
    const HeaderMap carrier{{"traceparent", kParent}};
    EXPECT_FALSE(propagator->Extract(carrier, Context{}).span.IsValid());
  }
}

TEST(PropagatorFromEnv, NoneNextToOtherNamesIsIgnoredWithAWarning) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv("none,tracecontext", &warnings);
  EXPECT_EQ(Count(*propagator), 1u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("none"), std::string::npos);
}

TEST(PropagatorFromEnv, ResultPropagates) {
  std::vector<std::string> warnings;
  const auto propagator = FromEnv("tracecontext,baggage", &warnings);
  const Context context = propagator->Extract(
      HeaderMap{{"traceparent", kParent}, {"baggage", "k=v"}}, Context{});
  EXPECT_TRUE(context.span.IsValid());
  EXPECT_EQ(context.baggage.Get("k"), "v");
}

}  // namespace
}  // namespace hotorder::telemetry
