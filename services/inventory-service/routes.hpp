#pragma once
// inventory-service's HTTP surface:
//   POST /reserve      {"reservation_id", "items"}  → 200 | 400 | 404 unknown SKU | 409 short
//   POST /release      {"reservation_id"}           → 200 {"released": bool}
//   GET  /stock/{sku}                               → 200 | 400 | 404
//   /admin/faults...                                  the fault's admin API (admin_routes.hpp)
// A reservation is slowed when the slow-index-scan fault says so (fault_switch.hpp).

#include "admin_access.hpp"
#include "fault_control.hpp"
#include "fault_switch.hpp"
#include "http/router.hpp"
#include "inventory_repository.hpp"

namespace hotorder::inventory {

http::Router BuildRoutes(InventoryRepository& repository, FaultSwitch& faults,
                         FaultControl& control, const AdminPolicy& admin);

}  // namespace hotorder::inventory
