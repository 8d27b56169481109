#include "telemetry/tracing_setup.hpp"

#include <gtest/gtest.h>

#include "support/otlp_decode.hpp"
#include "support/test_http_server.hpp"

namespace hotorder::telemetry {
namespace {

using Vars = std::vector<std::pair<std::string, std::string>>;

TEST(InitTracing, DefaultsFollowTheSpec) {
  config::EnvReader env(config::FixedEnv({}));
  Tracing tracing = InitTracing(env, "order-service", "1.0.0");
  EXPECT_TRUE(tracing.summary.enabled);
  EXPECT_EQ(tracing.summary.exporter, "otlp");
  EXPECT_EQ(tracing.summary.endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(tracing.summary.protocol, "http/protobuf");
  EXPECT_EQ(tracing.summary.sampler, "ParentBased{root:AlwaysOnSampler}");
  EXPECT_EQ(tracing.summary.propagators, "traceparent,tracestate,baggage");
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(InitTracing, ExportsThroughBatchProcessorToOtlpEndpoint) {
  test::TestHttpServer collector;
  config::EnvReader env(config::FixedEnv(Vars{
      {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.BaseUrl()},
      {"OTEL_SERVICE_NAME", "inventory-service"},
      {"OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test"},
  }));
  Tracing tracing = InitTracing(env, "ignored-default", "2.0.0");
  Tracer& tracer = tracing.provider->GetTracer("hotorder.test");
  Span parent = tracer.StartSpan("POST /reserve", Context{}, {.kind = SpanKind::kServer});
  Span child = tracer.StartSpan("db.reserve-stock", ContextWithSpan(Context{}, parent),
                                {.kind = SpanKind::kClient});
  child.End();
  parent.End();
  ASSERT_TRUE(tracing.provider->ForceFlush(std::chrono::seconds(5)));

  ASSERT_TRUE(collector.WaitForRequests(1, std::chrono::seconds(5)));
  const auto requests = collector.Requests();
  ASSERT_EQ(requests.size(), 1u);  // both spans in one request: a batch, not a drip
  EXPECT_EQ(requests[0].target, "/v1/traces");
  auto spans = test::DecodeOtlpProtobuf(requests[0].decoded_body);
  ASSERT_TRUE(spans.has_value());
  ASSERT_EQ(spans->size(), 2u);
  EXPECT_EQ((*spans)[0].name, "db.reserve-stock");
  EXPECT_EQ((*spans)[0].parent_span_id_hex, parent.context().span_id().ToHex());
  const auto* service = FindAttribute((*spans)[1].resource_attributes, "service.name");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(std::get<std::string>(service->variant()), "inventory-service");
  const auto counters = tracing.provider->counters().Snapshot();
  EXPECT_EQ(counters.spans_started, 2u);
  EXPECT_EQ(counters.spans_ended, 2u);
  EXPECT_EQ(counters.spans_exported, 2u);
  EXPECT_EQ(counters.spans_dropped(), 0u);
}

TEST(InitTracing, DisabledSdkExportsNothingButKeepsPropagating) {
  test::TestHttpServer collector;
  config::EnvReader env(config::FixedEnv(Vars{
      {"OTEL_SDK_DISABLED", "true"},
      {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.BaseUrl()},
  }));
  Tracing tracing = InitTracing(env, "svc", "1");
  EXPECT_FALSE(tracing.summary.enabled);
  EXPECT_EQ(tracing.summary.exporter, "none");
  ASSERT_NE(tracing.propagator, nullptr);
  Span span = tracing.provider->GetTracer("t").StartSpan("x", Context{});
  EXPECT_FALSE(span.IsRecording());
  span.End();
  EXPECT_TRUE(tracing.provider->ForceFlush(std::chrono::seconds(1)));
  EXPECT_EQ(collector.RequestCount(), 0u);
}

TEST(InitTracing, UnknownExporterWarnsAndUsesOtlp) {
  config::EnvReader env(config::FixedEnv(Vars{{"OTEL_TRACES_EXPORTER", "zipkin"}}));
  Tracing tracing = InitTracing(env, "svc", "1");
  EXPECT_EQ(tracing.summary.exporter, "otlp");
  ASSERT_EQ(env.Warnings().size(), 1u);
  EXPECT_NE(env.Warnings()[0].find("zipkin"), std::string::npos);
}

TEST(InitTracing, NoneExporterRecordsButSendsNothing) {
  config::EnvReader env(config::FixedEnv(Vars{{"OTEL_TRACES_EXPORTER", "none"}}));
  Tracing tracing = InitTracing(env, "svc", "1");
  Span span = tracing.provider->GetTracer("t").StartSpan("x", Context{});
  EXPECT_TRUE(span.IsRecording());
  EXPECT_TRUE(span.context().IsSampled());
  span.End();
  EXPECT_EQ(tracing.provider->counters().Snapshot().spans_started, 1u);
}

// OTEL_SEMCONV_STABILITY_OPT_IN=database/dup,http/dup: the exported spans carry the older names
// beside the stable ones; without it, only the stable names.
TEST(InitTracing, SemconvOptInAddsTheOlderNamesToExportedSpans) {
  for (const bool opt_in : {true, false}) {
    test::TestHttpServer collector;
    Vars vars = {{"OTEL_EXPORTER_OTLP_ENDPOINT", collector.BaseUrl()}};
    if (opt_in) vars.push_back({"OTEL_SEMCONV_STABILITY_OPT_IN", "database/dup,http/dup"});
    config::EnvReader env(config::FixedEnv(vars));
    Tracing tracing = InitTracing(env, "svc", "1");
    EXPECT_EQ(tracing.summary.semconv_opt_in, opt_in ? "http/dup,database/dup" : "");
    Tracer& tracer = tracing.provider->GetTracer("hotorder.test");
    tracer.StartSpan("db.reserve-stock", Context{},
                     {.kind = SpanKind::kClient,
                      .attributes = {{"db.system.name", "postgresql"}}})
        .End();
    ASSERT_TRUE(tracing.provider->ForceFlush(std::chrono::seconds(5)));
    ASSERT_TRUE(collector.WaitForRequests(1, std::chrono::seconds(5)));
    auto spans = test::DecodeOtlpProtobuf(collector.Requests()[0].decoded_body);
    ASSERT_TRUE(spans.has_value());
    ASSERT_EQ(spans->size(), 1u);
    const auto* old = FindAttribute((*spans)[0].attributes, "db.system");
    if (opt_in) {
      ASSERT_NE(old, nullptr);
      EXPECT_EQ(std::get<std::string>(old->variant()), "postgresql");
    } else {
      EXPECT_EQ(old, nullptr);
    }
  }
}

}  // namespace
}  // namespace hotorder::telemetry
