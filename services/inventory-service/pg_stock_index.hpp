#pragma once
// StockIndex on Postgres: stock_sku_idx read from pg_index, dropped and created CONCURRENTLY so
// orders keep flowing. Each call is one CLIENT span (db.stock-index.read / .drop / .restore)
// in the admin request's trace.

#include "db/pg_pool.hpp"
#include "stock_index.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::inventory {

class PgStockIndex final : public StockIndex {
 public:
  PgStockIndex(db::PgPool& pool, const telemetry::Tracer& tracer) : pool_(pool), tracer_(tracer) {}

  StockIndexState Read(const telemetry::Context& parent) override;
  void Drop(const telemetry::Context& parent) override;
  void Restore(const telemetry::Context& parent) override;

 private:
  db::PgPool& pool_;
  const telemetry::Tracer& tracer_;
};

}  // namespace hotorder::inventory
