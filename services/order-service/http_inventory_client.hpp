#pragma once
// InventoryClient over HTTP: POST /reserve and POST /release on inventory-service. Its error
// answers (404 unknown SKU, 409 insufficient stock) become this service's answers unchanged.

#include "http/client.hpp"
#include "order_ports.hpp"

namespace hotorder::orders {

class HttpInventoryClient final : public InventoryClient {
 public:
  explicit HttpInventoryClient(http::HttpClient& client) : client_(client) {}

  void Reserve(const telemetry::Context& parent, const std::string& reservation_id,
               const std::vector<domain::OrderItem>& items) override;
  void Release(const telemetry::Context& parent, const std::string& reservation_id) override;

 private:
  http::HttpClient& client_;
};

}  // namespace hotorder::orders
