#pragma once
// order-service's HTTP surface:
//   POST /orders        {"items", optional "customer_id", "tier" (or "customer_tier")},
//                       optional Idempotency-Key
//                       → 201 {order_id, status, items, trace_id} | 400 | 404 | 409 | 422 | 5xx
//   GET  /orders/{id}   → 200 | 400 | 404

#include "http/router.hpp"
#include "order_logic.hpp"

namespace hotorder::orders {

// `trace_note` (TraceNote), when not empty, goes beside the trace_id of each order placed.
http::Router BuildRoutes(OrderLogic& logic, std::string trace_note);

}  // namespace hotorder::orders
