#pragma once
// OrderRepository on Postgres: the `orders` and `order_items` tables
// (db/migrations/002_orders.sql). Each call is one CLIENT span with the database semantic
// conventions; storing an order is `INSERT orders`.

#include <pqxx/pqxx>

#include "db/pg_pool.hpp"
#include "order_ports.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::orders {

// Declares order-service's prepared statements on a new connection (a PgPool Preparer).
void PrepareStatements(pqxx::connection& connection);

class PgOrderRepository final : public OrderRepository {
 public:
  PgOrderRepository(db::PgPool& pool, const telemetry::Tracer& tracer)
      : pool_(pool), tracer_(tracer) {}

  void Insert(const telemetry::Context& parent, const Order& order) override;
  std::optional<Order> FindById(const telemetry::Context& parent, const std::string& id) override;
  std::optional<Order> FindByIdempotencyKey(const telemetry::Context& parent,
                                            const std::string& key) override;
  bool Ping() override { return pool_.Ping(); }

 private:
  std::optional<Order> FindOne(const telemetry::Context& parent, std::string_view statement_name,
                               std::string_view statement, const std::string& value);

  db::PgPool& pool_;
  const telemetry::Tracer& tracer_;
};

}  // namespace hotorder::orders
