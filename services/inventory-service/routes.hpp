#pragma once
// inventory-service's HTTP surface:
//   POST /reserve      {"reservation_id", "items"}  → 200 | 400 | 404 unknown SKU | 409 short
//   POST /release      {"reservation_id"}           → 200 {"released": bool}
//   GET  /stock/{sku}                               → 200 | 400 | 404

#include "http/router.hpp"
#include "inventory_repository.hpp"

namespace hotorder::inventory {

http::Router BuildRoutes(InventoryRepository& repository);

}  // namespace hotorder::inventory
