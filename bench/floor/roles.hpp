#pragma once
// The chain's roles of floor_chain (echo and otlp-sink are in canned_server.hpp). front, middle
// and back mirror api-gateway, order-service and inventory-service: the same hops, the same rows
// written, the same commits, and nothing else.

#include <string>

#include "server.hpp"

namespace hotorder::floor_chain {

// Like api-gateway: POST /api/orders forwarded to the next hop's POST /orders, answer relayed.
HandlerFactory FrontRole(int next_port);

// Like order-service: the order's stock reserved by the next hop (POST /reserve, the order id
// as the reservation id); on 201 the order and its lines stored in one committed statement.
HandlerFactory MiddleRole(int next_port, std::string database_url);

// Like inventory-service: the reservation recorded and the stock of every line taken in one
// committed statement, all lines or none, each only while enough is available; 201, or 409.
HandlerFactory BackRole(std::string database_url);

}  // namespace hotorder::floor_chain
