#pragma once
// InventoryRepository on Postgres: the `stock` and `reservations` tables (db/migrations/001 and
// 003). Each call is one CLIENT span with the database semantic
// conventions; the reservation's is `db.reserve-stock`, a name the teaching material relies on.

#include <pqxx/pqxx>

#include "db/pg_pool.hpp"
#include "inventory_repository.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::inventory {

// Declares inventory-service's prepared statements on a new connection (a PgPool Preparer).
void PrepareStatements(pqxx::connection& connection);

class PgInventoryRepository final : public InventoryRepository {
 public:
  PgInventoryRepository(db::PgPool& pool, const telemetry::Tracer& tracer)
      : pool_(pool), tracer_(tracer) {}

  ReserveOutcome Reserve(const telemetry::Context& parent, const std::string& reservation_id,
                         const std::vector<domain::OrderItem>& items) override;
  bool Release(const telemetry::Context& parent, const std::string& reservation_id) override;
  std::optional<StockLevel> FindStock(const telemetry::Context& parent,
                                      const std::string& sku) override;
  bool Ping() override { return pool_.Ping(); }

 private:
  db::PgPool& pool_;
  const telemetry::Tracer& tracer_;
};

}  // namespace hotorder::inventory
