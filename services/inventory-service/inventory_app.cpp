#include "inventory_app.hpp"

#include "routes.hpp"

namespace hotorder::inventory {

InventoryApp::InventoryApp(service::Runtime& runtime)
    : pool_(db::PoolOptionsFromEnv(runtime.env), PrepareStatements),
      repository_(pool_, runtime.tracer),
      faults_(SlowIndexScanFromEnv(runtime.env)),
      admin_(AdminPolicyFromEnv(runtime.env)) {
  runtime.log.Info("database", {{"database", pool_.database()},
                                {"host", pool_.host()},
                                {"port", pool_.port()},
                                {"pool_size", pool_.options().size}});
  const auto fault = faults_.Get();
  runtime.log.Info("fault", {{"fault", kSlowIndexScan},
                             {"enabled", fault.enabled},
                             {"mode", FaultModeName(fault.mode)},
                             {"delay_ms", static_cast<std::int64_t>(fault.delay_ms)},
                             {"ratio", fault.ratio},
                             {"admin", admin_.token ? "ADMIN_TOKEN required" : "loopback only"}});
}

http::Router InventoryApp::Routes() { return BuildRoutes(repository_, faults_, admin_); }

}  // namespace hotorder::inventory
