// The classic "trace a microservices request" lesson, step by step, with the lesson's own inputs,
// against the native stack's pieces (a private Postgres, the three services, the real Collector
// with the default keep-everything pipeline, and Jaeger):
//   1. the lesson's curl body: 201 with status "confirmed", at the gateway and at order-service
//   2. the trace, found in Jaeger by service order-service, with the lesson's waterfall
//      POST /orders -> validate-order -> POST /reserve -> db.reserve-stock
//   3. the lesson's tag search by the older attribute names (db.system=postgresql), with the
//      semantic-conventions opt-in the README gives for it
//   4. the fault at the lesson's 350 ms: a "Min Duration 300ms" search on order-service lists
//      the slow trace, and db.reserve-stock takes most of it, with its evidence
//   5. the missing index and the lesson's fix, CREATE INDEX CONCURRENTLY ON stock(sku);, which
//      brings the rows a reservation reads down to a handful

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/http_get.hpp"
#include "support/jaeger_json.hpp"
#include "support/lesson.hpp"
#include "support/postgres_instance.hpp"
#include "support/service_stack.hpp"
#include "support/tracing_backend.hpp"

namespace hotorder::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kFaultPath = "/admin/faults/slow-index-scan";
constexpr int kRows = 20'000;

class LessonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.Start()) << backend_.error();
    stack_.emplace(ServiceStackOptions{
        .database_url = postgres_.url(),
        .otlp_endpoint = backend_.collector_otlp_http_url(),
        .extra_env = {{"OTEL_SEMCONV_STABILITY_OPT_IN", "database/dup,http/dup"}}});
  }

  HttpResponse Order(const std::string& url) {
    return HttpPost(url, kLessonBody, "application/json", {}, 10s);
  }
  void SetFault(const json& settings) {
    auto response = HttpRequest("PUT", stack_->Url(ServiceStack::kInventory) + kFaultPath,
                                settings.dump(), {{"Content-Type", "application/json"}}, 120s);
    ASSERT_EQ(response.status, 200) << response.error << response.body;
  }

  // Polls a Jaeger search (/api/traces?...) until it lists `trace_id`; the last answer.
  json SearchUntilListed(const std::string& query, const std::string& trace_id) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    json last;
    while (std::chrono::steady_clock::now() < deadline) {
      last = backend_.QueryJaeger("/api/traces?" + query + "&lookback=1h&limit=100").value_or(json());
      for (const auto& trace : last.value("data", json::array())) {
        if (trace["traceID"] == trace_id) return last;
      }
      std::this_thread::sleep_for(250ms);  // polling Jaeger's index, with a deadline
    }
    ADD_FAILURE() << "Jaeger's search " << query << " never listed " << trace_id << ": "
                  << last.dump().substr(0, 2000);
    return last;
  }

  // The whole trace of a placed order, once every span of the lesson's waterfall is in.
  json TraceOf(const HttpResponse& response) {
    const auto trace_id = response.Header("X-Trace-Id").value_or("");
    return backend_.WaitForTrace(trace_id, HoldsTheWholeLessonTrace, 30s).value_or(json());
  }

  PostgresInstance postgres_{kRows};
  TracingBackend backend_;
  std::optional<ServiceStack> stack_;
};

TEST_F(LessonTest, TheLessonsStepsWorkVerbatim) {
  // 1. The request, as the lesson types it.
  auto placed = Order(stack_->GatewayUrl("/api/orders"));
  ASSERT_EQ(placed.status, 201) << placed.error << placed.body;
  auto body = json::parse(placed.body);
  EXPECT_EQ(body["status"], "confirmed");
  EXPECT_FALSE(body["order_id"].get<std::string>().empty());
  EXPECT_EQ(body["customer_tier"], "gold");
  auto direct = Order(stack_->Url(ServiceStack::kOrders) + "/orders");
  ASSERT_EQ(direct.status, 201) << direct.body;
  EXPECT_EQ(json::parse(direct.body)["status"], "confirmed");

  // 2. Found by service order-service; the waterfall the lesson draws.
  const auto trace_id = placed.Header("X-Trace-Id").value_or("");
  SearchUntilListed("service=order-service", trace_id);
  auto trace = TraceOf(placed);
  ASSERT_FALSE(trace.is_null()) << backend_.Diagnostics();
  const auto orders = SpanOf(trace, "order-service", "POST /orders");
  const auto validate = SpanOf(trace, "order-service", "validate-order");
  const auto reserve_call = SpanOf(trace, "order-service", "POST /reserve");
  const auto reserve = SpanOf(trace, "inventory-service", "POST /reserve");
  const auto db = SpanOf(trace, "inventory-service", "db.reserve-stock");
  for (const auto* span : {&orders, &validate, &reserve_call, &reserve, &db}) {
    ASSERT_FALSE(span->is_null()) << trace.dump().substr(0, 4000);
  }
  EXPECT_EQ(ParentIdOf(validate), orders["spanID"]);
  EXPECT_EQ(ParentIdOf(reserve_call), orders["spanID"]);
  EXPECT_EQ(ParentIdOf(reserve), reserve_call["spanID"]);
  EXPECT_EQ(ParentIdOf(db), reserve["spanID"]);
  EXPECT_EQ(ValueOf(validate["tags"], "order.customer_tier"), "gold");

  // 3. The lesson's tag searches, by the older names, beside the stable ones.
  EXPECT_EQ(ValueOf(db["tags"], "db.system"), "postgresql");
  EXPECT_EQ(ValueOf(db["tags"], "db.system.name"), "postgresql");
  SearchUntilListed("service=inventory-service&tags=%7B%22db.system%22%3A%22postgresql%22%7D",
                    trace_id);
  SearchUntilListed("service=api-gateway&tags=%7B%22http.method%22%3A%22POST%22%7D", trace_id);

  // 4. The fault at the lesson's 350 ms; "Min Duration 300ms" on order-service.
  SetFault({{"enabled", true}, {"mode", "sleep"}, {"delay_ms", 350}, {"ratio", 1.0}});
  auto slow_placed = Order(stack_->GatewayUrl("/api/orders"));
  ASSERT_EQ(slow_placed.status, 201) << slow_placed.body;
  const auto slow_id = slow_placed.Header("X-Trace-Id").value_or("");
  auto listed = SearchUntilListed("service=order-service&minDuration=300ms", slow_id);
  for (const auto& listed_trace : listed["data"]) {
    EXPECT_GE(DurationUs(SpanOf(json{{"data", {listed_trace}}}, "order-service", "POST /orders")),
              300'000);
  }
  auto slow = TraceOf(slow_placed);
  ASSERT_FALSE(slow.is_null()) << backend_.Diagnostics();
  const auto slow_db = SpanNamed(slow, "db.reserve-stock");
  EXPECT_GT(DurationUs(slow_db), DurationUs(SpanNamed(slow, "POST /api/orders")) / 2);
  EXPECT_FALSE(EventFields(slow_db, "slow-index-scan-detected").is_null()) << slow_db.dump();
  EXPECT_GT(ValueOf(slow_db["tags"], "db.rows_scanned").get<std::int64_t>(), 0);

  // 5. The index gone, then the lesson's fix.
  SetFault({{"enabled", true}, {"mode", "missing-index"}});
  auto missing = TraceOf(Order(stack_->GatewayUrl("/api/orders")));
  ASSERT_FALSE(missing.is_null()) << backend_.Diagnostics();
  const auto scanned = SpanNamed(missing, "db.reserve-stock");
  EXPECT_EQ(ValueOf(scanned["tags"], "db.plan"), "Seq Scan on stock");
  EXPECT_GE(ValueOf(scanned["tags"], "db.rows_scanned").get<std::int64_t>(), kRows);

  postgres_.Exec(kLessonFix);
  auto fixed = TraceOf(Order(stack_->GatewayUrl("/api/orders")));
  ASSERT_FALSE(fixed.is_null()) << backend_.Diagnostics();
  const auto indexed = SpanNamed(fixed, "db.reserve-stock");
  EXPECT_EQ(ValueOf(indexed["tags"], "db.plan"), "Index Scan using stock_sku_idx on stock");
  EXPECT_LE(ValueOf(indexed["tags"], "db.rows_scanned").get<std::int64_t>(), kHandfulOfRows);
  EXPECT_TRUE(EventFields(indexed, "slow-index-scan-detected").is_null()) << indexed.dump();
  EXPECT_LT(DurationUs(indexed), DurationUs(scanned));

  // Off ends with the schema's unique index, whatever the lesson's fix built.
  SetFault({{"enabled", false}});
  EXPECT_EQ(postgres_.QueryValue("SELECT indexdef FROM pg_indexes WHERE indexname = 'stock_sku_idx'"),
            "CREATE UNIQUE INDEX stock_sku_idx ON public.stock USING btree (sku)");
}

// "Send a request, then find its trace": under the default pipeline every one is there.
TEST_F(LessonTest, EveryOrderPlacedOneByOneIsInJaegerWithin15Seconds) {
  constexpr int kOrders = 50;
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> placed;
  for (int i = 0; i < kOrders; ++i) {
    auto response = Order(stack_->GatewayUrl("/api/orders"));
    ASSERT_EQ(response.status, 201) << response.body;
    placed.emplace_back(response.Header("X-Trace-Id").value_or(""),
                        std::chrono::steady_clock::now());
  }
  for (const auto& [trace_id, answered] : placed) {
    auto found = backend_.WaitForTrace(trace_id, nullptr, answered + 15s);
    EXPECT_TRUE(found.has_value()) << trace_id << " was not in Jaeger 15 s after its response";
  }
}

}  // namespace
}  // namespace hotorder::test
