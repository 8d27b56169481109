#include "fault_control.hpp"

namespace hotorder::inventory {
namespace {

bool WantsIndexGone(const SlowIndexScanSettings& settings) noexcept {
  return settings.enabled && settings.mode == FaultMode::kMissingIndex;
}

}  // namespace

nlohmann::json FaultStatusJson(const FaultStatus& status) {
  auto json = SlowIndexScanJson(status.settings);
  json["stock_sku_idx"] = StockIndexStateName(status.index);
  return json;
}

FaultStatus FaultControl::Start(const telemetry::Context& trace) {
  std::lock_guard lock(mutex_);
  // Only a missing-index start drops anything; any other start leaves the database as it is,
  // so a missing index found there survives a restart (and the switch then says so).
  if (WantsIndexGone(faults_.Get())) index_.Drop(trace);
  return ReconcileLocked(trace);
}

FaultStatus FaultControl::Reconcile(const telemetry::Context& trace) {
  std::lock_guard lock(mutex_);
  return ReconcileLocked(trace);
}

FaultStatus FaultControl::ReconcileLocked(const telemetry::Context& trace) {
  FaultStatus status{faults_.Get(), index_.Read(trace)};
  if (!IsUsable(status.index) && !WantsIndexGone(status.settings)) {
    status.settings.enabled = true;
    status.settings.mode = FaultMode::kMissingIndex;
    faults_.Set(status.settings);
  }
  return status;
}

FaultControl::Change FaultControl::Apply(const telemetry::Context& trace,
                                         const nlohmann::json& body) {
  std::lock_guard lock(mutex_);
  const auto previous = faults_.Get();
  // Validated before anything is touched: a bad request changes nothing.
  const auto next = ApplySlowIndexScanUpdate(previous, body);
  return {previous, Enforce(trace, next)};
}

FaultStatus FaultControl::Enforce(const telemetry::Context& trace,
                                  const SlowIndexScanSettings& settings) {
  if (WantsIndexGone(settings)) {
    index_.Drop(trace);
  } else {
    index_.Restore(trace);
  }
  // After the database: were the DDL to fail, the switch keeps saying what is true.
  faults_.Set(settings);
  return {settings, index_.Read(trace)};
}

}  // namespace hotorder::inventory
