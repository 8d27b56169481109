// inventory-service: stock levels and reservations in Postgres (port 8082).
#include <memory>

#include "inventory_app.hpp"
#include "service/service_main.hpp"

int main() {
  using namespace hotorder;
  return service::Main({.name = "inventory-service", .default_port = 8082},
                       [](service::Runtime& runtime) {
                         return std::make_unique<inventory::InventoryApp>(runtime);
                       });
}
