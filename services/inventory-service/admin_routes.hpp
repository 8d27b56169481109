#pragma once
// The admin API, for instructors and `./hotorder fault` (access rules in admin_access.hpp):
//   GET /admin/faults                   → 200 {"slow-index-scan": {...}}
//   GET /admin/faults/slow-index-scan   → 200 {"enabled","mode","delay_ms","ratio"}
//   PUT /admin/faults/slow-index-scan   any subset of those fields → 200 with the new whole
//                                       state | 400 invalid_fault (nothing changes)
// Every change is logged and recorded as a `fault.changed` event on the request's span.

#include "admin_access.hpp"
#include "fault_switch.hpp"
#include "http/router.hpp"

namespace hotorder::inventory {

void AddAdminRoutes(http::Router& router, FaultSwitch& faults, const AdminPolicy& policy);

}  // namespace hotorder::inventory
