#pragma once
// order-service's HTTP surface:
//   POST /orders        {"customer_id", "customer_tier", "items"}, optional Idempotency-Key
//                       → 201 {order_id, status, items, trace_id} | 400 | 404 | 409 | 422 | 5xx
//   GET  /orders/{id}   → 200 | 400 | 404

#include "http/router.hpp"
#include "order_logic.hpp"

namespace hotorder::orders {

http::Router BuildRoutes(OrderLogic& logic);

}  // namespace hotorder::orders
