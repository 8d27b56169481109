#pragma once
// InventoryRepository on Postgres: the `stock` and `reservations` tables (db/migrations/001 and
// 003). Each call is one CLIENT span with the database semantic
// conventions; the reservation's is `db.reserve-stock`, a name the teaching material relies on.
// Its `db.plan` says how the statement reaches `stock`, as Postgres explains it; the
// slow-index-scan fault adds the evidence of the slow path (slow_index_scan.hpp).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

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
                         const std::vector<domain::OrderItem>& items,
                         const FaultDecision& fault) override;
  bool Release(const telemetry::Context& parent, const std::string& reservation_id) override;
  std::optional<StockLevel> FindStock(const telemetry::Context& parent,
                                      const std::string& sku) override;
  bool Ping() override { return pool_.Ping(); }

 private:
  // What one reservation did, for its span.
  struct Evidence {
    ReserveOutcome outcome;
    std::string plan;               // db.plan
    std::int64_t rows_scanned = 0;  // rows of `stock` read (or, in sleep mode, estimated)
    std::int64_t seq_scans = 0;     // sequential scans of `stock` (seqscan mode)
  };
  // The prepared statement; `estimate_rows` also fetches the table's row estimate.
  Evidence ReserveNormally(const std::string& reservation_id,
                           const std::vector<domain::OrderItem>& items, bool estimate_rows);
  // The fault's seqscan and missing-index modes: the statement planned for this call (with
  // index scans off for the transaction in seqscan mode), its plan explained and the table's
  // counters read around it.
  Evidence ReserveMeasured(const std::string& reservation_id,
                           const std::vector<domain::OrderItem>& items, bool disable_index_scans);
  // The prepared reservation's plan (every connection forces the same generic plan), explained
  // again after kPlanLifetime: an index dropped or created behind the service's back (psql)
  // shows in db.plan within seconds.
  std::string PreparedPlan(pqxx::transaction_base& txn);
  static constexpr std::chrono::seconds kPlanLifetime{5};

  db::PgPool& pool_;
  const telemetry::Tracer& tracer_;
  std::mutex plan_mutex_;
  bool plan_explained_ = false;
  std::chrono::steady_clock::time_point plan_explained_at_;
  std::string prepared_plan_;
};

}  // namespace hotorder::inventory
