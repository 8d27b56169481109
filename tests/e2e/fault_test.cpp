// The slow-index-scan fault end to end, as a workshop sees it: a private Postgres, the three
// services and the real Collector and Jaeger. The fault is toggled through inventory-service's
// admin API (with ADMIN_TOKEN set), orders go through the gateway, and every claim is checked
// on the trace Jaeger stores.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/build_paths.hpp"
#include "support/child_process.hpp"
#include "support/http_get.hpp"
#include "support/jaeger_json.hpp"
#include "support/postgres_instance.hpp"
#include "support/service_stack.hpp"
#include "support/tracing_backend.hpp"


namespace hotorder::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kToken = "e2e-admin-token";
constexpr const char* kFaultPath = "/admin/faults/slow-index-scan";
// Well under the production pipeline's 250 ms tail-sampling threshold, and far below 350 ms.
constexpr std::int64_t kFastUs = 200'000;
constexpr std::int64_t kDelayUs = 350'000;

class FaultTest : public ::testing::Test {
 protected:
  explicit FaultTest(int stock_rows = 1000) : postgres_(stock_rows) {}

  void SetUp() override {
    ASSERT_TRUE(backend_.Start()) << backend_.error();
    stack_.emplace(ServiceStackOptions{.database_url = postgres_.url(),
                                       .otlp_endpoint = backend_.collector_otlp_http_url(),
                                       .extra_env = {{"ADMIN_TOKEN", kToken}}});
    // The first order opens each service's connections; keep that out of the timings.
    ASSERT_EQ(PlaceOrder().status, 201);
  }

  HttpResponse Admin(std::string_view method, std::string body = "",
                     std::optional<std::string> token = kToken) {
    HttpHeaders headers = {{"Content-Type", "application/json"}};
    if (token) headers.emplace_back("Authorization", "Bearer " + *token);
    return HttpRequest(method, stack_->Url(ServiceStack::kInventory) + kFaultPath,
                       std::move(body), headers);
  }
  void SetFault(const json& settings) {
    auto response = Admin("PUT", settings.dump());
    ASSERT_EQ(response.status, 200) << response.error << response.body;
  }

  HttpResponse PlaceOrder(const HttpHeaders& headers = {}) {
    auto number = std::to_string(next_sku_);  // seeded SKUs have at least three digits
    auto sku = "SKU-" + std::string(number.size() < 3 ? 3 - number.size() : 0, '0') + number;
    ++next_sku_;
    return HttpPost(stack_->GatewayUrl("/api/orders"),
                    json{{"customer_id", "c-fault"}, {"items", {{{"sku", sku}, {"qty", 1}}}}}.dump(),
                    "application/json", headers, 10s);
  }

  // The order's whole trace from Jaeger: the gateway's root and inventory's db span present.
  json OrderTrace(const HttpResponse& response) {
    EXPECT_EQ(response.status, 201) << response.error << response.body;
    auto trace_id = response.Header("X-Trace-Id").value_or("");
    auto trace = backend_.WaitForTrace(
        trace_id,
        [](const json& found) {
          return !SpanNamed(found, "POST /api/orders").is_null() &&
                 !SpanNamed(found, "db.reserve-stock").is_null();
        },
        30s);
    return trace.value_or(json());
  }

  PostgresInstance postgres_;
  TracingBackend backend_;
  std::optional<ServiceStack> stack_;
  int next_sku_ = 1;
};

TEST_F(FaultTest, SleepModeMakesReserveStockTheCulpritUntilTurnedOff) {
  auto fast = OrderTrace(PlaceOrder());
  ASSERT_FALSE(fast.is_null()) << backend_.Diagnostics();
  EXPECT_LT(DurationUs(SpanNamed(fast, "POST /api/orders")), kFastUs);
  EXPECT_TRUE(EventFields(SpanNamed(fast, "db.reserve-stock"), "slow-index-scan-detected").is_null());

  SetFault({{"enabled", true}, {"mode", "sleep"}, {"delay_ms", 350}, {"ratio", 1.0}});
  auto slow_response = PlaceOrder();
  auto slow = OrderTrace(slow_response);
  ASSERT_FALSE(slow.is_null()) << backend_.Diagnostics();
  auto root = SpanNamed(slow, "POST /api/orders");
  auto reserve = SpanNamed(slow, "db.reserve-stock");
  EXPECT_GE(DurationUs(root), kDelayUs);
  EXPECT_GE(static_cast<double>(DurationUs(reserve)), 0.9 * static_cast<double>(DurationUs(root)));
  EXPECT_EQ(ValueOf(reserve["tags"], "demo.fault.active"), true);
  EXPECT_EQ(ValueOf(reserve["tags"], "demo.fault.mode"), "sleep");
  auto event = EventFields(reserve, "slow-index-scan-detected");
  ASSERT_FALSE(event.is_null()) << reserve.dump();
  EXPECT_EQ(ValueOf(event, "db.index"), "stock_sku_idx");
  EXPECT_GT(ValueOf(event, "db.rows_scanned").get<std::int64_t>(), 0);

  // What a person does first: ask Jaeger for the slow traces.
  const auto slow_id = slow_response.Header("X-Trace-Id").value_or("");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  bool found = false;
  std::optional<json> listed;
  while (!found && std::chrono::steady_clock::now() < deadline) {
    listed = backend_.QueryJaeger(
        "/api/traces?service=api-gateway&operation=POST%20%2Fapi%2Forders&minDuration=300ms"
        "&lookback=1h&limit=50");
    const auto traces = listed ? (*listed)["data"] : json::array();
    for (const auto& trace : traces) {
      EXPECT_GE(DurationUs(SpanNamed(json{{"data", {trace}}}, "POST /api/orders")), 300'000);
      found |= trace["traceID"] == slow_id;
    }
    if (!found) std::this_thread::sleep_for(250ms);  // polling Jaeger's index, with a deadline
  }
  EXPECT_TRUE(found) << "Jaeger's minDuration=300ms search did not list " << slow_id << ": "
                     << (listed ? listed->dump().substr(0, 2000) : "no answer");

  // What a person does next: ask the investigation tool which span is to blame.
  auto explained = RunProgram(InvestigateExecutable(),
                              {"explain", slow_id, "--json", "--wait", "20s", "--jaeger",
                               backend_.jaeger_query_url()},
                              backend_.log_dir() / "investigate-explain.log", 40s);
  ASSERT_EQ(explained.exit_code, 0) << explained.how << "\n" << explained.output;
  auto culprit = json::parse(explained.output, nullptr, false)["culprit"];
  EXPECT_EQ(culprit["operation"], "db.reserve-stock") << explained.output;
  EXPECT_EQ(culprit["service"], "inventory-service");
  EXPECT_GE(culprit["share"].get<double>(), 0.9);

  SetFault({{"enabled", false}});
  auto again = OrderTrace(PlaceOrder());
  ASSERT_FALSE(again.is_null()) << backend_.Diagnostics();
  EXPECT_LT(DurationUs(SpanNamed(again, "POST /api/orders")), kFastUs);
  EXPECT_TRUE(EventFields(SpanNamed(again, "db.reserve-stock"), "slow-index-scan-detected").is_null());
}

TEST_F(FaultTest, BaggageSlowsOnlyTheRequestsThatCarryIt) {
  const HttpHeaders opted_in = {{"baggage", "hotorder.fault=slow-index-scan"}};
  for (int round = 0; round < 3; ++round) {
    auto slow = OrderTrace(PlaceOrder(opted_in));
    auto fast = OrderTrace(PlaceOrder());
    ASSERT_FALSE(slow.is_null() || fast.is_null()) << backend_.Diagnostics();
    auto slow_reserve = SpanNamed(slow, "db.reserve-stock");
    EXPECT_GE(DurationUs(SpanNamed(slow, "POST /api/orders")), kDelayUs);
    EXPECT_EQ(ValueOf(slow_reserve["tags"], "demo.fault.trigger"), "baggage");
    EXPECT_FALSE(EventFields(slow_reserve, "slow-index-scan-detected").is_null());
    EXPECT_LT(DurationUs(SpanNamed(fast, "POST /api/orders")), kFastUs);
    EXPECT_TRUE(ValueOf(SpanNamed(fast, "db.reserve-stock")["tags"], "demo.fault.active").is_null());
  }
}

TEST_F(FaultTest, AdminApiRefusesMissingOrWrongTokensAndChangesNothing) {
  const auto before = Admin("GET");
  ASSERT_EQ(before.status, 200) << before.body;
  for (const auto& token : {std::optional<std::string>(), std::optional<std::string>("guess")}) {
    auto put = Admin("PUT", R"({"enabled":true})", token);
    EXPECT_EQ(put.status, 401) << put.body;
    EXPECT_EQ(json::parse(put.body, nullptr, false)["error"]["code"], "unauthorized") << put.body;
    EXPECT_EQ(Admin("GET", "", token).status, 401);
  }
  auto bad = Admin("PUT", R"({"enabled":true,"mode":"slower"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(json::parse(bad.body, nullptr, false)["error"]["code"], "invalid_fault");
  EXPECT_EQ(json::parse(Admin("GET").body), json::parse(before.body));
  auto order = OrderTrace(PlaceOrder());
  ASSERT_FALSE(order.is_null()) << backend_.Diagnostics();
  EXPECT_LT(DurationUs(SpanNamed(order, "POST /api/orders")), kFastUs);
}

// seqscan mode against a table big enough for a full scan to show.
class SeqScanFaultTest : public FaultTest {
 protected:
  static constexpr int kRows = 20'000;
  SeqScanFaultTest() : FaultTest(kRows) {}
};

TEST_F(SeqScanFaultTest, ReportsThePlanAndRowsPostgresReallyUsed) {
  auto indexed = OrderTrace(PlaceOrder());
  ASSERT_FALSE(indexed.is_null()) << backend_.Diagnostics();
  EXPECT_EQ(ValueOf(SpanNamed(indexed, "db.reserve-stock")["tags"], "db.plan"),
            "Index Scan using stock_sku_idx on stock");

  SetFault({{"enabled", true}, {"mode", "seqscan"}});
  auto scanned = OrderTrace(PlaceOrder());
  ASSERT_FALSE(scanned.is_null()) << backend_.Diagnostics();
  auto reserve = SpanNamed(scanned, "db.reserve-stock");
  EXPECT_EQ(ValueOf(reserve["tags"], "db.plan"), "Seq Scan on stock");
  auto event = EventFields(reserve, "slow-index-scan-detected");
  ASSERT_FALSE(event.is_null()) << reserve.dump();
  EXPECT_EQ(ValueOf(event, "db.plan"), "Seq Scan on stock");
  // Every scan read the whole table: rows examined per scan is the table's size.
  const auto rows = ValueOf(event, "db.rows_scanned").get<std::int64_t>();
  const auto scans = ValueOf(event, "db.seq_scans").get<std::int64_t>();
  ASSERT_GE(scans, 1);
  EXPECT_EQ(rows / scans, kRows) << "rows " << rows << " in " << scans << " scans";

  SetFault({{"enabled", false}});
  auto back = OrderTrace(PlaceOrder());
  ASSERT_FALSE(back.is_null()) << backend_.Diagnostics();
  EXPECT_EQ(ValueOf(SpanNamed(back, "db.reserve-stock")["tags"], "db.plan"),
            "Index Scan using stock_sku_idx on stock");
}

// missing-index mode: the index really goes, and what the database says is what the admin API
// says, however it got that way.
class MissingIndexFaultTest : public FaultTest {
 protected:
  static constexpr int kRows = 20'000;
  MissingIndexFaultTest() : FaultTest(kRows) {}

  json FaultStatus() {
    auto response = Admin("GET");
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body, nullptr, false);
  }
  std::string IndexDefinition() {
    return postgres_.QueryValue(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'stock_sku_idx'");
  }
  static constexpr const char* kUniqueIndex =
      "CREATE UNIQUE INDEX stock_sku_idx ON public.stock USING btree (sku)";
};

TEST_F(MissingIndexFaultTest, DropsTheIndexOrdersStillSucceedAndOffRestoresIt) {
  SetFault({{"enabled", true}, {"mode", "missing-index"}});
  EXPECT_EQ(IndexDefinition(), "");
  EXPECT_EQ(FaultStatus()["stock_sku_idx"], "missing");

  auto scanned = OrderTrace(PlaceOrder());
  ASSERT_FALSE(scanned.is_null()) << backend_.Diagnostics();
  auto reserve = SpanNamed(scanned, "db.reserve-stock");
  EXPECT_EQ(ValueOf(reserve["tags"], "demo.fault.trigger"), "missing-index");
  auto event = EventFields(reserve, "slow-index-scan-detected");
  ASSERT_FALSE(event.is_null()) << reserve.dump();
  EXPECT_EQ(ValueOf(event, "db.plan"), "Seq Scan on stock");
  EXPECT_GE(ValueOf(event, "db.rows_scanned").get<std::int64_t>(), kRows);

  // Seeding more SKUs now could add a second row of one SKU: refused, nothing added.
  EXPECT_ANY_THROW(postgres_.Migrate(kRows + 10));
  EXPECT_EQ(postgres_.QueryValue("SELECT count(*) FROM stock"), std::to_string(kRows));

  SetFault({{"enabled", false}});
  EXPECT_EQ(IndexDefinition(), kUniqueIndex);
  EXPECT_EQ(FaultStatus()["stock_sku_idx"], "unique");
  // Nothing oversold: every reservation took stock once.
  EXPECT_EQ(postgres_.QueryValue("SELECT count(*) FROM stock WHERE reserved > quantity"), "0");
}

TEST_F(MissingIndexFaultTest, AnIndexDroppedInPsqlIsTheFaultOn) {
  postgres_.Exec("DROP INDEX stock_sku_idx");
  auto status = FaultStatus();
  EXPECT_EQ(status["enabled"], true);
  EXPECT_EQ(status["mode"], "missing-index");
  EXPECT_EQ(status["stock_sku_idx"], "missing");
  auto order = OrderTrace(PlaceOrder());
  ASSERT_FALSE(order.is_null()) << backend_.Diagnostics();
  EXPECT_FALSE(EventFields(SpanNamed(order, "db.reserve-stock"), "slow-index-scan-detected").is_null());
  SetFault({{"enabled", false}});
  EXPECT_EQ(IndexDefinition(), kUniqueIndex);
}

TEST_F(MissingIndexFaultTest, AnInvalidIndexFromAFailedBuildIsReplacedOnOff) {
  SetFault({{"enabled", true}, {"mode", "missing-index"}});
  // A unique index on a column with duplicates fails half way and stays behind, INVALID.
  EXPECT_ANY_THROW(
      postgres_.Exec("CREATE UNIQUE INDEX CONCURRENTLY stock_sku_idx ON stock (quantity)"));
  EXPECT_EQ(FaultStatus()["stock_sku_idx"], "invalid");
  EXPECT_EQ(PlaceOrder().status, 201);
  SetFault({{"enabled", false}});
  EXPECT_EQ(IndexDefinition(), kUniqueIndex);
  EXPECT_EQ(postgres_.QueryValue("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "0");
}

}  // namespace
}  // namespace hotorder::test
