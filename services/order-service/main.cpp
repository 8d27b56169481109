// order-service: validates orders, reserves their stock in inventory-service and stores them in
// Postgres (port 8081).
#include <memory>

#include "order_app.hpp"
#include "service/service_main.hpp"

int main() {
  using namespace hotorder;
  return service::Main({.name = "order-service", .default_port = 8081},
                       [](service::Runtime& runtime) {
                         return std::make_unique<orders::OrderApp>(runtime);
                       });
}
