#include "integration_env.hpp"

namespace hotorder::test {

IntegrationEnv::IntegrationEnv()
    : postgres(PostgresInstance::Shared()),
      stack({.database_url = postgres.url(), .otlp_endpoint = sink.Endpoint()}) {}

IntegrationEnv& IntegrationEnv::Get() {
  // Built once, on first use. Statics are destroyed in reverse order of construction, so at
  // exit the services stop before the Postgres instance, which was constructed first.
  static IntegrationEnv env;
  return env;
}

std::string OrderBody(const std::string& sku, int qty, const std::string& tier) {
  return nlohmann::json{{"customer_id", "c-test"},
                        {"customer_tier", tier},
                        {"items", {{{"sku", sku}, {"qty", qty}}}}}
      .dump();
}

HttpResponse PostOrder(const std::string& body, const HttpHeaders& headers) {
  return HttpPost(IntegrationEnv::Get().stack.GatewayUrl("/api/orders"), body, "application/json",
                  headers);
}

std::string TraceIdOf(const HttpResponse& response) {
  return response.Header("x-trace-id").value_or("");
}

std::string ErrorCode(const std::string& body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("error") || !parsed["error"].is_object()) return "";
  const auto& error = parsed["error"];
  if (!error.contains("code") || !error["code"].is_string() || !error.contains("message") ||
      !error["message"].is_string()) {
    return "";
  }
  return error["code"].get<std::string>();
}

DbSnapshot TakeSnapshot() {
  auto& postgres = IntegrationEnv::Get().postgres;
  return {postgres.QueryValue("SELECT coalesce(sum(reserved), 0) FROM stock"),
          postgres.QueryValue("SELECT count(*) FROM orders"),
          postgres.QueryValue("SELECT count(*) FROM reservations")};
}

std::string ToString(const DbSnapshot& snapshot) {
  return "reserved=" + snapshot.reserved_total + " orders=" + snapshot.orders +
         " reservations=" + snapshot.reservations;
}

void SetStock(const std::string& sku, int quantity) {
  IntegrationEnv::Get().postgres.Exec("UPDATE stock SET quantity = " + std::to_string(quantity) +
                                      ", reserved = 0 WHERE sku = '" + sku + "'");
}

}  // namespace hotorder::test
