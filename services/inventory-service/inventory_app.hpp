#pragma once
// inventory-service assembled: its Postgres pool, repository, fault switch and routes.

#include <memory>

#include "admin_access.hpp"
#include "db/pg_pool.hpp"
#include "fault_control.hpp"
#include "fault_switch.hpp"
#include "pg_inventory_repository.hpp"
#include "pg_stock_index.hpp"
#include "service/service_main.hpp"

namespace hotorder::inventory {

class InventoryApp final : public service::App {
 public:
  explicit InventoryApp(service::Runtime& runtime);

  http::Router Routes() override;
  bool Ready() override { return repository_.Ping(); }

 private:
  db::PgPool pool_;
  PgInventoryRepository repository_;
  FaultSwitch faults_;
  PgStockIndex stock_index_;
  FaultControl fault_control_;
  AdminPolicy admin_;
};

}  // namespace hotorder::inventory
