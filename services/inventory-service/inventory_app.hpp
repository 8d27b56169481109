#pragma once
// inventory-service assembled: its Postgres pool, repository and routes.

#include <memory>

#include "db/pg_pool.hpp"
#include "pg_inventory_repository.hpp"
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
};

}  // namespace hotorder::inventory
