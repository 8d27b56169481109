#pragma once
// What inventory-service needs from its database, behind an interface so the routes can be
// tested with a fake. The Postgres implementation is pg_inventory_repository.

#include <optional>
#include <string>
#include <vector>

#include "domain/order_items.hpp"
#include "slow_index_scan.hpp"
#include "telemetry/context.hpp"

namespace hotorder::inventory {

struct StockLevel {
  std::string sku;
  std::string name;
  int quantity = 0;
  int reserved = 0;
  int available() const noexcept { return quantity - reserved; }
};

struct ReserveOutcome {
  enum class Kind { kReserved, kAlreadyReserved, kUnknownSku, kInsufficientStock };
  Kind kind = Kind::kReserved;
  std::string sku;     // the offending SKU for kUnknownSku / kInsufficientStock
  int requested = 0;
  int available = 0;
};

class InventoryRepository {
 public:
  InventoryRepository() = default;
  InventoryRepository(const InventoryRepository&) = delete;
  InventoryRepository& operator=(const InventoryRepository&) = delete;
  virtual ~InventoryRepository() = default;

  // Reserves every item or none. `items` are merged by SKU and sorted (domain::MergeBySku).
  // A reservation id seen before is not reserved again (kAlreadyReserved): callers may retry.
  // An active `fault` makes the reservation slow in its mode (slow_index_scan.hpp) and records
  // the evidence on its span.
  virtual ReserveOutcome Reserve(const telemetry::Context& parent, const std::string& reservation_id,
                                 const std::vector<domain::OrderItem>& items,
                                 const FaultDecision& fault) = 0;
  // Undoes a reservation; false when there was none by that id (already released or unknown).
  virtual bool Release(const telemetry::Context& parent, const std::string& reservation_id) = 0;
  virtual std::optional<StockLevel> FindStock(const telemetry::Context& parent,
                                              const std::string& sku) = 0;
  virtual bool Ping() = 0;
};

}  // namespace hotorder::inventory
