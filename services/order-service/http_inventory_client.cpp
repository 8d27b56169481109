#include "http_inventory_client.hpp"

#include <nlohmann/json.hpp>

namespace hotorder::orders {
namespace {

void Post(http::HttpClient& client, const telemetry::Context& parent, const std::string& path,
          const nlohmann::json& body) {
  auto response = client.Send(parent, {.method = "POST", .route = path, .target = path,
                                       .body = body.dump()});
  http::RaiseForUpstreamStatus(response, client.options().name);
}

}  // namespace

void HttpInventoryClient::Reserve(const telemetry::Context& parent,
                                  const std::string& reservation_id,
                                  const std::vector<domain::OrderItem>& items) {
  Post(client_, parent, "/reserve",
       {{"reservation_id", reservation_id}, {"items", domain::ItemsToJson(items)}});
}

void HttpInventoryClient::Release(const telemetry::Context& parent,
                                  const std::string& reservation_id) {
  Post(client_, parent, "/release", {{"reservation_id", reservation_id}});
}

}  // namespace hotorder::orders
