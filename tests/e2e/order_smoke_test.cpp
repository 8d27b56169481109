// The order flow through the real Collector and Jaeger: the trace an order's `traceresponse`
// names is in Jaeger with the spans of all three services.
#include <gtest/gtest.h>

#include <set>

#include "support/http_get.hpp"
#include "support/postgres_instance.hpp"
#include "support/service_stack.hpp"
#include "support/tracing_backend.hpp"

namespace hotorder::test {
namespace {

using namespace std::chrono_literals;

std::set<std::string> ServicesOf(const nlohmann::json& trace) {
  std::set<std::string> services;
  for (const auto& [id, process] : trace["data"][0]["processes"].items()) {
    services.insert(process["serviceName"].get<std::string>());
  }
  return services;
}

TEST(OrderSmoke, JaegerShowsTheWholeOrderTraceFromTraceresponse) {
  TracingBackend backend;
  ASSERT_TRUE(backend.Start()) << backend.error();
  PostgresInstance postgres(100);
  ServiceStack stack({.database_url = postgres.url(),
                      .otlp_endpoint = backend.collector_otlp_http_url()});

  auto response = HttpPost(stack.GatewayUrl("/api/orders"),
                           R"({"customer_id":"c-smoke","items":[{"sku":"SKU-001","qty":1}]})",
                           "application/json");
  ASSERT_EQ(response.status, 201) << response.body;
  auto traceresponse = response.Header("traceresponse").value_or("");
  ASSERT_EQ(traceresponse.size(), 55u) << traceresponse;
  auto trace_id = traceresponse.substr(3, 32);

  const std::set<std::string> all = {"api-gateway", "order-service", "inventory-service"};
  auto trace = backend.WaitForTrace(
      trace_id,
      [&](const nlohmann::json& found) {
        return ServicesOf(found) == all && found["data"][0]["spans"].size() >= 8;
      },
      30s);
  ASSERT_TRUE(trace) << backend.Diagnostics();
  std::set<std::string> names;
  for (const auto& span : (*trace)["data"][0]["spans"]) {
    names.insert(span["operationName"].get<std::string>());
  }
  for (const char* name : {"POST /api/orders", "POST /orders", "validate-order", "POST /reserve",
                           "db.reserve-stock", "INSERT orders"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
}

}  // namespace
}  // namespace hotorder::test
