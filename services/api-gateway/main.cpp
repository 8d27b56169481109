// api-gateway: the public entry point (port 8080); forwards to order-service and
// inventory-service.
#include <memory>

#include "gateway_app.hpp"
#include "service/service_main.hpp"

int main() {
  using namespace hotorder;
  return service::Main({.name = "api-gateway", .default_port = 8080},
                       [](service::Runtime& runtime) {
                         return std::make_unique<gateway::GatewayApp>(runtime);
                       });
}
