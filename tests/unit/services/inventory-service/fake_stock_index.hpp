#pragma once
// stock_sku_idx as a variable: what FaultControl's tests and the routes' tests drop, restore and
// read instead of Postgres' catalog. `failing` makes Drop and Restore throw what the pool throws
// when the database cannot be reached.

#include <string>
#include <vector>

#include "db/db_error.hpp"
#include "inventory-service/stock_index.hpp"

namespace hotorder::inventory {

class FakeStockIndex final : public StockIndex {
 public:
  StockIndexState Read(const telemetry::Context&) override { return state; }
  void Drop(const telemetry::Context&) override {
    Record("drop");
    state = StockIndexState::kMissing;
  }
  void Restore(const telemetry::Context&) override {
    Record("restore");
    state = StockIndexState::kUnique;
  }

  StockIndexState state = StockIndexState::kUnique;
  bool failing = false;
  std::vector<std::string> calls;

 private:
  void Record(const std::string& call) {
    calls.push_back(call);
    if (failing) throw db::UnavailableError("the database is unavailable", "connection refused");
  }
};

}  // namespace hotorder::inventory
