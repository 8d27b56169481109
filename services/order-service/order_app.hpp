#pragma once
// order-service assembled: its Postgres pool and repository, the inventory client, the logic and
// the routes.

#include "db/pg_pool.hpp"
#include "http/client.hpp"
#include "http_inventory_client.hpp"
#include "order_logic.hpp"
#include "pg_order_repository.hpp"
#include "service/service_main.hpp"

namespace hotorder::orders {

class OrderApp final : public service::App {
 public:
  explicit OrderApp(service::Runtime& runtime);

  http::Router Routes() override;
  bool Ready() override { return repository_.Ping() && inventory_http_.Reachable(); }

 private:
  db::PgPool pool_;
  PgOrderRepository repository_;
  http::HttpClient inventory_http_;
  HttpInventoryClient inventory_;
  OrderLogic logic_;
  std::string trace_note_;  // TraceNote(TRACE_PIPELINE)
};

}  // namespace hotorder::orders
