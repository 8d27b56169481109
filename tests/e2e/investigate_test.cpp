// The investigation CLI against the real Collector and Jaeger: a HotOrder-shaped trace with the
// slow-index-scan fault (db.reserve-stock takes 350 ms of 380 ms) is exported with HotOrder's
// own SDK, and the real `investigate` binary finds it, draws it and names the culprit.
//
// Needs OTELCOL_BIN and JAEGER_BIN (`./hotorder test` sets them); without them the tests FAIL.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/env.hpp"
#include "support/build_paths.hpp"
#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/tracing_backend.hpp"
#include "telemetry/otlp/otlp_exporter_options.hpp"
#include "telemetry/otlp/otlp_http_exporter.hpp"
#include "telemetry/processor/simple_span_processor.hpp"
#include "telemetry/resource.hpp"
#include "telemetry/tracer_provider.hpp"


namespace hotorder {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using telemetry::Attributes;
using telemetry::Context;
using telemetry::SpanKind;
using telemetry::Timestamp;
using namespace std::chrono_literals;

constexpr auto kExportTimeout = 10s;
// The longest a single investigate run may take: its own --wait plus a margin.
constexpr auto kRunTimeout = 40s;

// One service's SDK, exporting each span at once to the Collector.
class ServiceTracing {
 public:
  ServiceTracing(const std::string& collector_url, const std::string& service) {
    telemetry::otlp::OtlpExporterOptions exporter_options;
    exporter_options.endpoint_url = collector_url + "/v1/traces";
    telemetry::TracerProviderOptions options;
    options.resource =
        telemetry::BuildResource(config::EnvReader(config::FixedEnv({})), service, "0.1.0");
    options.processor = std::make_unique<telemetry::SimpleSpanProcessor>(
        std::make_unique<telemetry::otlp::OtlpHttpExporter>(exporter_options, nullptr));
    provider_ = std::make_unique<telemetry::TracerProvider>(std::move(options));
  }
  ~ServiceTracing() { provider_->Shutdown(kExportTimeout); }

  telemetry::Tracer& tracer() { return provider_->GetTracer("hotorder.e2e.investigate", "0.1.0"); }
  bool Flush() { return provider_->ForceFlush(kExportTimeout); }

 private:
  std::unique_ptr<telemetry::TracerProvider> provider_;
};

// An order's trace as docs/architecture.md gives it, with chosen times (ms after `base`).
// Returns its trace id.
std::string ExportSlowOrderTrace(const std::string& collector_url) {
  ServiceTracing gateway(collector_url, "api-gateway");
  ServiceTracing orders(collector_url, "order-service");
  ServiceTracing inventory(collector_url, "inventory-service");
  // A second in the past, so the whole trace lies inside find's lookback window.
  const Timestamp base =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()) - 1s;
  auto at = [base](int ms) { return base + std::chrono::milliseconds(ms); };
  auto start = [&](telemetry::Tracer& tracer, const char* name, const Context& parent,
                   SpanKind kind, int ms, Attributes attributes = {}) {
    return tracer.StartSpan(name, parent,
                            {.kind = kind, .attributes = std::move(attributes), .start_time = at(ms)});
  };
  auto child_of = [](const telemetry::Span& span) { return Context{span.context(), {}}; };

  auto root = start(gateway.tracer(), "POST /api/orders", Context{}, SpanKind::kServer, 0,
                    {{"http.request.method", std::string("POST")}, {"url.path", std::string("/api/orders")}});
  auto gateway_call = start(gateway.tracer(), "POST /orders", child_of(root), SpanKind::kClient, 1);
  auto order_server =
      start(orders.tracer(), "POST /orders", child_of(gateway_call), SpanKind::kServer, 2);
  auto validate = start(orders.tracer(), "validate-order", child_of(order_server),
                        SpanKind::kInternal, 3,
                        {{"order.item_count", std::int64_t{1}}, {"order.customer_tier", std::string("gold")}});
  validate.End(at(4));
  auto reserve_call =
      start(orders.tracer(), "POST /reserve", child_of(order_server), SpanKind::kClient, 5);
  auto reserve_server =
      start(inventory.tracer(), "POST /reserve", child_of(reserve_call), SpanKind::kServer, 6);
  auto db = start(inventory.tracer(), "db.reserve-stock", child_of(reserve_server),
                  SpanKind::kClient, 7,
                  {{"db.system", std::string("postgresql")},
                   {"db.operation.name", std::string("UPDATE")},
                   {"db.collection.name", std::string("stock")}});
  db.AddEvent("slow-index-scan-detected",
              {{"db.index", std::string("stock_sku_idx")}, {"db.rows_scanned", std::int64_t{100000}}},
              at(10));
  db.End(at(357));
  reserve_server.End(at(364));
  reserve_call.End(at(365));
  auto insert = start(orders.tracer(), "INSERT orders", child_of(order_server), SpanKind::kClient,
                      366, {{"db.system", std::string("postgresql")}});
  insert.End(at(374));
  order_server.End(at(376));
  gateway_call.End(at(378));
  const std::string trace_id = root.context().trace_id().ToHex();
  root.End(at(380));
  EXPECT_TRUE(gateway.Flush());
  EXPECT_TRUE(orders.Flush());
  EXPECT_TRUE(inventory.Flush());
  return trace_id;
}

class InvestigateCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    backend_ = new test::TracingBackend();
    if (!backend_->Start()) {
      error_ = backend_->error();
      return;
    }
    trace_id_ = ExportSlowOrderTrace(backend_->collector_otlp_http_url());
  }
  static void TearDownTestSuite() {
    delete backend_;
    backend_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(error_.empty()) << error_; }

  // Runs the real binary; a run that did not exit on its own is a failure.
  static test::ProgramRun Investigate(std::vector<std::string> args) {
    static int runs = 0;
    const auto log = backend_->log_dir() / ("investigate-" + std::to_string(++runs) + ".log");
    auto run = test::RunProgram(test::InvestigateExecutable(), std::move(args), log, kRunTimeout);
    if (run.exit_code < 0) ADD_FAILURE() << "investigate " << run.how;
    return run;
  }

  static std::vector<std::string> WithJaeger(std::vector<std::string> args) {
    args.push_back("--jaeger");
    args.push_back(backend_->jaeger_query_url());
    return args;
  }

  static inline test::TracingBackend* backend_ = nullptr;
  static inline std::string error_;
  static inline std::string trace_id_;
};

TEST_F(InvestigateCli, FindListsTheSlowTrace) {
  const test::ProgramRun run =
      Investigate(WithJaeger({"find", "--min-duration", "300ms", "--wait", "20s"}));
  ASSERT_EQ(run.exit_code, 0) << run.output << backend_->Diagnostics();
  EXPECT_THAT(run.output, HasSubstr(trace_id_));
  EXPECT_THAT(run.output, HasSubstr("api-gateway: POST /api/orders"));
}

TEST_F(InvestigateCli, ShowDrawsEverySpanWithTheEvent) {
  const test::ProgramRun run = Investigate(WithJaeger({"show", trace_id_, "--wait", "20s", "--ascii"}));
  ASSERT_EQ(run.exit_code, 0) << run.output << backend_->Diagnostics();
  EXPECT_THAT(run.output, HasSubstr("Trace " + trace_id_));
  EXPECT_THAT(run.output, HasSubstr("8 spans, 3 services"));
  for (const char* name : {"POST /api/orders", "POST /orders", "validate-order", "POST /reserve",
                           "db.reserve-stock", "INSERT orders"}) {
    EXPECT_THAT(run.output, HasSubstr(name));
  }
  EXPECT_THAT(run.output, HasSubstr("slow-index-scan-detected  db.index=stock_sku_idx "
                                    "db.rows_scanned=100000"));
}

TEST_F(InvestigateCli, ExplainJsonNamesTheDatabaseCall) {
  const test::ProgramRun run = Investigate(WithJaeger({"explain", trace_id_, "--wait", "20s", "--json"}));
  ASSERT_EQ(run.exit_code, 0) << run.output << backend_->Diagnostics();
  const json out = json::parse(run.output, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.output;
  EXPECT_EQ(out.at("trace_id"), trace_id_);
  EXPECT_EQ(out.at("span_count"), 8);
  EXPECT_EQ(out.at("root").at("operation"), "POST /api/orders");
  EXPECT_EQ(out.at("duration_us"), 380'000);
  const json& culprit = out.at("culprit");
  EXPECT_EQ(culprit.at("service"), "inventory-service");
  EXPECT_EQ(culprit.at("operation"), "db.reserve-stock");
  EXPECT_EQ(culprit.at("duration_us"), 350'000);
  EXPECT_GE(culprit.at("share").get<double>(), 0.9);
  ASSERT_EQ(culprit.at("events").size(), 1u);
  EXPECT_EQ(culprit.at("events")[0].at("name"), "slow-index-scan-detected");
  EXPECT_EQ(culprit.at("events")[0].at("attributes").at("db.index"), "stock_sku_idx");
  EXPECT_EQ(culprit.at("attributes").at("db.system"), "postgresql");
}

TEST_F(InvestigateCli, ExplainTextShowsTheCriticalPathAndEvidence) {
  const test::ProgramRun run = Investigate(WithJaeger({"explain", trace_id_, "--wait", "20s"}));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Culprit: inventory-service: db.reserve-stock"));
  EXPECT_THAT(run.output, HasSubstr("db.index=stock_sku_idx db.rows_scanned=100000"));
}

TEST_F(InvestigateCli, UnknownTraceExitsThree) {
  const test::ProgramRun run = Investigate(WithJaeger({"show", "0123456789abcdef0123456789abcdef"}));
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_THAT(run.output, HasSubstr("is not in Jaeger (yet)"));
}

TEST_F(InvestigateCli, UnreachableJaegerExitsOne) {
  const std::string url = "http://127.0.0.1:" + std::to_string(test::FreeLoopbackPort());
  const test::ProgramRun run = Investigate({"explain", trace_id_, "--jaeger", url});
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("cannot reach Jaeger at " + url + " (connection refused)"));
}

TEST_F(InvestigateCli, MalformedTraceIdExitsTwo) {
  const test::ProgramRun run = Investigate(WithJaeger({"show", "not-a-trace-id"}));
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_THAT(run.output, HasSubstr("is malformed"));
}

}  // namespace
}  // namespace hotorder
