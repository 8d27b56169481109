#pragma once
// The admin API, for instructors and `./hotorder fault` (access rules in admin_access.hpp):
//   GET /admin/faults                   → 200 {"slow-index-scan": {...}}
//   GET /admin/faults/slow-index-scan   → 200 {"enabled","mode","delay_ms","ratio","stock_sku_idx"}
//   PUT /admin/faults/slow-index-scan   any subset of the first four → 200 with the new whole
//                                       state | 400 invalid_fault (nothing changes) | 503 when
//                                       the database could not drop or build the index
// stock_sku_idx is the index's state in the catalog (stock_index.hpp): unique, non-unique,
// invalid or missing.
// Every change is logged and recorded as a `fault.changed` event on the request's span.

#include "admin_access.hpp"
#include "fault_control.hpp"
#include "http/router.hpp"

namespace hotorder::inventory {

void AddAdminRoutes(http::Router& router, FaultControl& control, const AdminPolicy& policy);

}  // namespace hotorder::inventory
