#pragma once
// The slow-index-scan fault as the admin API changes it: the switch every reservation reads
// (service state) and stock_sku_idx (database state) kept in agreement. The database wins: an
// index that is missing or invalid means missing-index mode is on, however it got that way (the
// fault switched on before a restart, or a DROP INDEX typed into psql).

#include <mutex>

#include <nlohmann/json.hpp>

#include "fault_switch.hpp"
#include "stock_index.hpp"
#include "telemetry/context.hpp"

namespace hotorder::inventory {

struct FaultStatus {
  SlowIndexScanSettings settings;
  StockIndexState index = StockIndexState::kUnique;
};

// {"enabled", "mode", "delay_ms", "ratio", "stock_sku_idx"}: what GET and PUT answer.
nlohmann::json FaultStatusJson(const FaultStatus& status);

class FaultControl {
 public:
  FaultControl(FaultSwitch& faults, StockIndex& index) : faults_(faults), index_(index) {}

  // At start-up: the settings from the environment applied to the database (missing-index on
  // drops the index), then Reconcile.
  FaultStatus Start(const telemetry::Context& trace);
  // Reads the index; when it is missing or invalid, the switch says missing-index, on.
  FaultStatus Reconcile(const telemetry::Context& trace);

  struct Change {
    SlowIndexScanSettings previous;
    FaultStatus now;
  };
  // A PUT body (see ApplySlowIndexScanUpdate: a 400 changes nothing). Missing-index on drops
  // the index; anything else (off in any mode, or another mode on) restores it first, valid
  // and unique, so `off` always ends with the index the schema has.
  Change Apply(const telemetry::Context& trace, const nlohmann::json& body);

 private:
  FaultStatus ReconcileLocked(const telemetry::Context& trace);
  // Sets the database to what `settings` need, then the switch.
  FaultStatus Enforce(const telemetry::Context& trace, const SlowIndexScanSettings& settings);

  FaultSwitch& faults_;
  StockIndex& index_;
  // One change at a time: building the index takes seconds, and two admins racing must not
  // interleave a drop with a restore.
  std::mutex mutex_;
};

}  // namespace hotorder::inventory
