#include "inventory_app.hpp"

#include "routes.hpp"

namespace hotorder::inventory {

InventoryApp::InventoryApp(service::Runtime& runtime)
    : pool_(db::PoolOptionsFromEnv(runtime.env), PrepareStatements),
      repository_(pool_, runtime.tracer),
      faults_(SlowIndexScanFromEnv(runtime.env)),
      stock_index_(pool_, runtime.tracer),
      fault_control_(faults_, stock_index_),
      admin_(AdminPolicyFromEnv(runtime.env)) {
  runtime.log.Info("database", {{"database", pool_.database()},
                                {"host", pool_.host()},
                                {"port", pool_.port()},
                                {"pool_size", pool_.options().size}});
  // The index is database state: a missing one found here (dropped before a restart) means
  // the missing-index fault is on. Without a database yet, the first admin call reconciles.
  std::string index = "unknown (database unavailable)";
  try {
    index = StockIndexStateName(fault_control_.Start(telemetry::Context{}).index);
  } catch (const std::exception& error) {
    runtime.log.Warn("could not read stock_sku_idx at start-up", {{"error", error.what()}});
  }
  const auto fault = faults_.Get();
  runtime.log.Info("fault", {{"fault", kSlowIndexScan},
                             {"stock_sku_idx", std::string_view(index)},
                             {"enabled", fault.enabled},
                             {"mode", FaultModeName(fault.mode)},
                             {"delay_ms", static_cast<std::int64_t>(fault.delay_ms)},
                             {"ratio", fault.ratio},
                             {"admin", admin_.token ? "ADMIN_TOKEN required" : "loopback only"}});
}

http::Router InventoryApp::Routes() {
  return BuildRoutes(repository_, faults_, fault_control_, admin_);
}

}  // namespace hotorder::inventory
