#pragma once
// What order-service's logic needs from the outside, behind interfaces so it is testable with
// fakes: the inventory (over HTTP) and the order store (Postgres).

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/order_items.hpp"
#include "telemetry/context.hpp"

namespace hotorder::orders {

struct Order {
  std::string id;
  std::string customer_id;
  std::string customer_tier;
  std::string status;  // "confirmed"
  std::vector<domain::OrderItem> items;
  std::string trace_id;         // of the request that created it
  std::string idempotency_key;  // "" when none was given
  std::string request_hash;
};

class InventoryClient {
 public:
  InventoryClient() = default;
  InventoryClient(const InventoryClient&) = delete;
  InventoryClient& operator=(const InventoryClient&) = delete;
  virtual ~InventoryClient() = default;

  // Reserves all items under `reservation_id`, or throws the HttpError to answer with (404
  // unknown SKU, 409 insufficient stock, 502/503/504 when inventory cannot be reached).
  virtual void Reserve(const telemetry::Context& parent, const std::string& reservation_id,
                       const std::vector<domain::OrderItem>& items) = 0;
  virtual void Release(const telemetry::Context& parent, const std::string& reservation_id) = 0;
};

// Insert found an order with the same Idempotency-Key (a concurrent retry won the race).
class DuplicateIdempotencyKey : public std::runtime_error {
 public:
  DuplicateIdempotencyKey() : std::runtime_error("an order with this Idempotency-Key exists") {}
};

class OrderRepository {
 public:
  OrderRepository() = default;
  OrderRepository(const OrderRepository&) = delete;
  OrderRepository& operator=(const OrderRepository&) = delete;
  virtual ~OrderRepository() = default;

  // Stores the order and its items in one transaction.
  virtual void Insert(const telemetry::Context& parent, const Order& order) = 0;
  virtual std::optional<Order> FindById(const telemetry::Context& parent,
                                        const std::string& id) = 0;
  virtual std::optional<Order> FindByIdempotencyKey(const telemetry::Context& parent,
                                                    const std::string& key) = 0;
  virtual bool Ping() = 0;
};

}  // namespace hotorder::orders
