#pragma once
// stock_sku_idx, the unique index every reservation looks stock up by, as database state: the
// slow-index-scan fault's missing-index mode drops it, the lesson's fix creates it again, and
// `fault off` makes sure it is back, valid and unique. Behind an interface so the admin API's
// logic can be tested with a fake; pg_stock_index is the Postgres implementation.

#include <string_view>

#include "telemetry/context.hpp"

namespace hotorder::inventory {

enum class StockIndexState {
  kUnique,     // valid and unique: as db/migrations/001 made it
  kNonUnique,  // valid, not unique: what the lesson's CREATE INDEX CONCURRENTLY ON stock(sku) makes
  kInvalid,    // left by a CREATE INDEX CONCURRENTLY that failed; the planner ignores it
  kMissing,
};

// "unique", "non-unique", "invalid", "missing": the admin API's stock_sku_idx field.
std::string_view StockIndexStateName(StockIndexState state) noexcept;

// Whether reservations can look stock up through the index (valid, unique or not).
inline bool IsUsable(StockIndexState state) noexcept {
  return state == StockIndexState::kUnique || state == StockIndexState::kNonUnique;
}

class StockIndex {
 public:
  StockIndex() = default;
  StockIndex(const StockIndex&) = delete;
  StockIndex& operator=(const StockIndex&) = delete;
  virtual ~StockIndex() = default;

  // What the catalog says of stock_sku_idx now.
  virtual StockIndexState Read(const telemetry::Context& parent) = 0;
  // Drops it without blocking reservations (DROP INDEX CONCURRENTLY); gone already is fine.
  virtual void Drop(const telemetry::Context& parent) = 0;
  // Ends with a valid unique stock_sku_idx, whatever was there (nothing, an invalid or a
  // non-unique index), without blocking reservations for longer than a rename.
  virtual void Restore(const telemetry::Context& parent) = 0;
};

}  // namespace hotorder::inventory
