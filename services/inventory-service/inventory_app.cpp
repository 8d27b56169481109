#include "inventory_app.hpp"

#include "routes.hpp"

namespace hotorder::inventory {

InventoryApp::InventoryApp(service::Runtime& runtime)
    : pool_(db::PoolOptionsFromEnv(runtime.env), PrepareStatements),
      repository_(pool_, runtime.tracer) {
  runtime.log.Info("database", {{"database", pool_.database()},
                                {"host", pool_.host()},
                                {"port", pool_.port()},
                                {"pool_size", pool_.options().size}});
}

http::Router InventoryApp::Routes() { return BuildRoutes(repository_); }

}  // namespace hotorder::inventory
