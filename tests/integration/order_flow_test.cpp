// The traced order flow through the three real services and a real Postgres: the exact span
// tree docs/architecture.md gives for an accepted order, and which span is ERROR for each kind
// of refusal.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "integration_env.hpp"

namespace hotorder::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kServer = 2;  // OTLP SpanKind values
constexpr int kClient = 3;
constexpr int kInternal = 1;
constexpr int kStatusError = 2;

struct ExpectedSpan {
  std::string service;
  std::string name;
  int kind;
  std::string parent;  // name of the parent span; "" for the root
};

// docs/architecture.md, "The request path and the trace of an order".
const std::vector<ExpectedSpan> kOrderTree = {
    {"api-gateway", "POST /api/orders", kServer, ""},
    {"api-gateway", "POST /orders", kClient, "POST /api/orders"},
    {"order-service", "POST /orders", kServer, "POST /orders"},
    {"order-service", "validate-order", kInternal, "POST /orders"},
    {"order-service", "POST /reserve", kClient, "POST /orders"},
    {"inventory-service", "POST /reserve", kServer, "POST /reserve"},
    {"inventory-service", "db.reserve-stock", kClient, "POST /reserve"},
    {"order-service", "INSERT orders", kClient, "POST /orders"},
};

const DecodedSpan* Find(const std::vector<DecodedSpan>& spans, const std::string& service,
                        const std::string& name) {
  for (const auto& span : spans) {
    if (span.name == name && ResourceAttribute(span, "service.name") == service) return &span;
  }
  return nullptr;
}

const DecodedSpan* ById(const std::vector<DecodedSpan>& spans, const std::string& id) {
  for (const auto& span : spans) {
    if (span.span_id_hex == id) return &span;
  }
  return nullptr;
}

std::string Describe(const std::vector<DecodedSpan>& spans) {
  std::string text;
  for (const auto& span : spans) {
    text += "  " + ResourceAttribute(span, "service.name") + " " + span.name + " kind=" +
            std::to_string(span.kind) + " status=" + std::to_string(span.status_code) + "\n";
  }
  return text;
}

// The spans of the trace a response names, waiting for `count` of them.
std::vector<DecodedSpan> TraceOf(const HttpResponse& response, std::size_t count) {
  auto trace_id = TraceIdOf(response);
  EXPECT_EQ(trace_id.size(), 32u) << "no X-Trace-Id on the response";
  return IntegrationEnv::Get().sink.WaitForTrace(trace_id, count, 10s);
}

// The names (service/name) of the ERROR spans of a trace, sorted.
std::vector<std::string> ErrorSpans(const std::vector<DecodedSpan>& spans) {
  std::vector<std::string> names;
  for (const auto& span : spans) {
    if (span.status_code == kStatusError) {
      names.push_back(ResourceAttribute(span, "service.name") + " " + span.name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(OrderFlow, AcceptedOrderHasExactlyTheDesignedSpanTree) {
  auto& env = IntegrationEnv::Get();
  auto before = env.postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-010'");
  auto response = PostOrder(OrderBody("SKU-010", 2, "gold"));
  ASSERT_TRUE(response.ok()) << response.error;
  ASSERT_EQ(response.status, 201) << response.body;

  auto body = json::parse(response.body);
  EXPECT_EQ(body["status"], "confirmed");
  EXPECT_EQ(body["trace_id"], TraceIdOf(response));
  EXPECT_EQ(body["items"], json::parse(R"([{"sku":"SKU-010","qty":2}])"));
  auto traceresponse = response.Header("traceresponse").value_or("");
  EXPECT_EQ(traceresponse.substr(3, 32), TraceIdOf(response));

  auto spans = TraceOf(response, kOrderTree.size());
  // One more export round for anything extra (an N+1 call would show up here).
  auto settled = env.sink.WaitForTrace(TraceIdOf(response), kOrderTree.size() + 1, 1500ms);
  ASSERT_EQ(settled.size(), kOrderTree.size()) << Describe(settled);
  spans = settled;

  for (const auto& expected : kOrderTree) {
    const auto* span = Find(spans, expected.service, expected.name);
    ASSERT_NE(span, nullptr) << expected.service << " " << expected.name << "\n" << Describe(spans);
    EXPECT_EQ(span->kind, expected.kind) << expected.name;
    EXPECT_NE(span->status_code, kStatusError) << expected.name;
    if (expected.parent.empty()) {
      EXPECT_TRUE(span->parent_span_id_hex.empty()) << expected.name;
      continue;
    }
    const auto* parent = ById(spans, span->parent_span_id_hex);
    ASSERT_NE(parent, nullptr) << expected.name << " has no parent in the trace";
    EXPECT_EQ(parent->name, expected.parent) << expected.name;
    EXPECT_LE(parent->start_ns, span->start_ns) << expected.name << " starts before its parent";
    EXPECT_GE(parent->end_ns, span->end_ns) << expected.name << " ends after its parent";
  }
  // The two "POST /orders" spans are a CLIENT in the gateway and a SERVER in order-service, and
  // the SERVER's parent is that CLIENT (the hop crossed a process boundary).
  const auto* gateway_client = Find(spans, "api-gateway", "POST /orders");
  const auto* order_server = Find(spans, "order-service", "POST /orders");
  EXPECT_EQ(order_server->parent_span_id_hex, gateway_client->span_id_hex);

  const auto* root = Find(spans, "api-gateway", "POST /api/orders");
  EXPECT_EQ(StringAttribute(*root, "http.request.method"), "POST");
  EXPECT_EQ(StringAttribute(*root, "http.route"), "/api/orders");
  EXPECT_EQ(StringAttribute(*root, "url.path"), "/api/orders");
  EXPECT_EQ(traceresponse.substr(36, 16), root->span_id_hex);

  const auto* db = Find(spans, "inventory-service", "db.reserve-stock");
  EXPECT_EQ(StringAttribute(*db, "db.system.name"), "postgresql");
  EXPECT_EQ(StringAttribute(*db, "db.namespace"), "hotorder");
  EXPECT_EQ(StringAttribute(*db, "db.operation.name"), "UPDATE");
  EXPECT_EQ(StringAttribute(*db, "db.collection.name"), "stock");
  auto query = StringAttribute(*db, "db.query.text");
  EXPECT_NE(query.find("$2"), std::string::npos) << query;
  EXPECT_EQ(query.find("SKU-010"), std::string::npos) << "values never go into db.query.text";

  const auto* validate = Find(spans, "order-service", "validate-order");
  EXPECT_EQ(StringAttribute(*validate, "order.customer_tier"), "gold");

  auto after = env.postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-010'");
  EXPECT_EQ(std::stoi(after), std::stoi(before) + 2);
  EXPECT_EQ(env.postgres.QueryValue("SELECT count(*) FROM order_items WHERE order_id = '" +
                                    body["order_id"].get<std::string>() + "'"),
            "1");
}

TEST(OrderFlow, StoredOrderAndStockCanBeReadThroughTheGateway) {
  auto& env = IntegrationEnv::Get();
  auto placed = PostOrder(OrderBody("SKU-011", 3));
  ASSERT_EQ(placed.status, 201) << placed.body;
  auto id = json::parse(placed.body)["order_id"].get<std::string>();

  auto read = HttpGet(env.stack.GatewayUrl("/api/orders/" + id));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(json::parse(read.body), json::parse(placed.body));

  auto stock = HttpGet(env.stack.GatewayUrl("/api/inventory/SKU-011"));
  ASSERT_EQ(stock.status, 200) << stock.body;
  auto level = json::parse(stock.body);
  EXPECT_EQ(level["sku"], "SKU-011");
  EXPECT_GE(level["reserved"].get<int>(), 3);
  EXPECT_EQ(level["available"].get<int>(),
            level["quantity"].get<int>() - level["reserved"].get<int>());

  auto missing = HttpGet(env.stack.GatewayUrl("/api/orders/0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCode(missing.body), "order_not_found");
  auto unknown_sku = HttpGet(env.stack.GatewayUrl("/api/inventory/SKU-999999"));
  EXPECT_EQ(unknown_sku.status, 404);
  EXPECT_EQ(ErrorCode(unknown_sku.body), "unknown_sku");
}

TEST(OrderFlow, InvalidOrderIsRefusedInValidateOrderBeforeAnyReservation) {
  auto response = PostOrder(R"({"customer_id":"c-1","items":[]})");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorCode(response.body), "missing_items");
  auto spans = TraceOf(response, 4);
  EXPECT_EQ(ErrorSpans(spans),
            (std::vector<std::string>{"api-gateway POST /api/orders", "api-gateway POST /orders",
                                      "order-service POST /orders",
                                      "order-service validate-order"}))
      << Describe(spans);
  EXPECT_EQ(Find(spans, "order-service", "POST /reserve"), nullptr);
  const auto* validate = Find(spans, "order-service", "validate-order");
  ASSERT_NE(validate, nullptr);
  ASSERT_FALSE(validate->events.empty());
  EXPECT_EQ(validate->events[0].name, "exception");
}

TEST(OrderFlow, UnknownSkuIs404NamingItWithTheInventorySpanInError) {
  auto before = TakeSnapshot();
  auto response = PostOrder(OrderBody("SKU-999999", 1));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ErrorCode(response.body), "unknown_sku");
  EXPECT_NE(response.body.find("SKU-999999"), std::string::npos) << response.body;
  auto spans = TraceOf(response, 7);
  EXPECT_EQ(ErrorSpans(spans),
            (std::vector<std::string>{"api-gateway POST /api/orders", "api-gateway POST /orders",
                                      "inventory-service POST /reserve",
                                      "order-service POST /orders",
                                      "order-service POST /reserve"}))
      << Describe(spans);
  EXPECT_EQ(Find(spans, "order-service", "INSERT orders"), nullptr);
  EXPECT_EQ(TakeSnapshot(), before);
}

TEST(OrderFlow, InsufficientStockIs409AndReservesNothing) {
  SetStock("SKU-020", 3);
  auto before = TakeSnapshot();
  auto response = PostOrder(
      R"({"customer_id":"c-1","items":[{"sku":"SKU-021","qty":1},{"sku":"SKU-020","qty":4}]})");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(ErrorCode(response.body), "insufficient_stock");
  EXPECT_NE(response.body.find("SKU-020"), std::string::npos) << response.body;
  // All or nothing: the line that fit (SKU-021) was not reserved either.
  EXPECT_EQ(TakeSnapshot(), before);
  auto spans = TraceOf(response, 7);
  auto errors = ErrorSpans(spans);
  EXPECT_NE(std::find(errors.begin(), errors.end(), "inventory-service POST /reserve"),
            errors.end())
      << Describe(spans);
}

TEST(OrderFlow, RetryWithAnIdempotencyKeyReturnsTheFirstOrderAndReservesOnce) {
  auto& env = IntegrationEnv::Get();
  SetStock("SKU-030", 100);
  HttpHeaders key = {{"Idempotency-Key", "retry-test-1"}};
  auto first = PostOrder(OrderBody("SKU-030", 5), key);
  auto again = PostOrder(OrderBody("SKU-030", 5), key);
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(json::parse(again.body)["order_id"], json::parse(first.body)["order_id"]);
  EXPECT_EQ(env.postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-030'"), "5");

  auto changed = PostOrder(OrderBody("SKU-030", 6), key);
  EXPECT_EQ(changed.status, 422);
  EXPECT_EQ(ErrorCode(changed.body), "idempotency_key_reused");
}

TEST(OrderFlow, InventoryDownIsBadGatewayWithNothingStored) {
  auto& env = IntegrationEnv::Get();
  auto before = TakeSnapshot();
  ASSERT_TRUE(env.stack.Stop(ServiceStack::kInventory));
  auto response = PostOrder(OrderBody("SKU-040", 1));
  auto readiness = HttpGet(env.stack.Url(ServiceStack::kOrders) + "/readyz");
  env.stack.Start(ServiceStack::kInventory);

  EXPECT_EQ(response.status, 502) << response.body;
  EXPECT_EQ(ErrorCode(response.body), "upstream_error") << response.body;
  EXPECT_NE(response.body.find("inventory-service"), std::string::npos) << response.body;
  EXPECT_EQ(readiness.status, 503) << "order-service is not ready without inventory";
  EXPECT_EQ(TakeSnapshot(), before);
  auto spans = TraceOf(response, 5);
  const auto* reserve = Find(spans, "order-service", "POST /reserve");
  ASSERT_NE(reserve, nullptr) << Describe(spans);
  EXPECT_EQ(reserve->status_code, kStatusError);
}

TEST(OrderFlow, OrderServiceDownIsBadGatewayAtTheGateway) {
  auto& env = IntegrationEnv::Get();
  ASSERT_TRUE(env.stack.Stop(ServiceStack::kOrders));
  auto response = PostOrder(OrderBody("SKU-041", 1));
  env.stack.Start(ServiceStack::kOrders);
  EXPECT_EQ(response.status, 502) << response.body;
  EXPECT_EQ(ErrorCode(response.body), "upstream_unavailable");
}

TEST(OrderFlow, FailureToStoreTheOrderReleasesItsReservation) {
  auto& env = IntegrationEnv::Get();
  // Make the INSERT fail for real: a constraint refusing this tier, for the length of the test.
  env.postgres.Exec(
      "ALTER TABLE orders ADD CONSTRAINT test_refuse_platinum CHECK (customer_tier <> 'platinum')");
  auto before = TakeSnapshot();
  auto response = PostOrder(OrderBody("SKU-050", 2, "platinum"));
  env.postgres.Exec("ALTER TABLE orders DROP CONSTRAINT test_refuse_platinum");

  EXPECT_EQ(response.status, 502) << response.body;  // order-service's 500, seen by the gateway
  EXPECT_EQ(response.body.find("CHECK"), std::string::npos) << "no SQL text in responses";
  EXPECT_EQ(TakeSnapshot(), before);
  auto spans = TraceOf(response, 11);
  const auto* insert = Find(spans, "order-service", "INSERT orders");
  ASSERT_NE(insert, nullptr) << Describe(spans);
  EXPECT_EQ(insert->status_code, kStatusError);
  EXPECT_NE(Find(spans, "order-service", "POST /release"), nullptr) << Describe(spans);
}

TEST(OrderFlow, ServicesReconnectAfterPostgresRestarts) {
  auto& env = IntegrationEnv::Get();
  env.postgres.Stop();
  env.postgres.Start();
  auto response = PostOrder(OrderBody("SKU-060", 1));
  EXPECT_EQ(response.status, 201) << response.body;
}

}  // namespace
}  // namespace hotorder::test
