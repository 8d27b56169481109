#pragma once
// api-gateway's HTTP surface, each forwarded to the service that owns it:
//   POST /api/orders            → order-service      POST /orders
//   GET  /api/orders/{id}       → order-service      GET  /orders/{id}
//   GET  /api/inventory/{sku}   → inventory-service  GET  /stock/{sku}

#include "http/client.hpp"
#include "http/router.hpp"

namespace hotorder::gateway {

http::Router BuildRoutes(http::HttpClient& orders, http::HttpClient& inventory);

}  // namespace hotorder::gateway
