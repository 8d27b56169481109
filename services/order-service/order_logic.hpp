#pragma once
// Placing and reading orders, apart from HTTP and SQL:
//   validate (the `validate-order` span) → [Idempotency-Key seen before? answer as then]
//   → reserve stock in inventory-service → store the order; if storing fails, release the
//   reservation, so stock is never held for an order that does not exist.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "log/logger.hpp"
#include "order_ports.hpp"
#include "order_validation.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::orders {

struct PlacedOrder {
  Order order;
  bool replayed = false;  // answered from an earlier request with the same Idempotency-Key
};

class OrderLogic {
 public:
  OrderLogic(InventoryClient& inventory, OrderRepository& orders, const telemetry::Tracer& tracer)
      : inventory_(inventory), orders_(orders), tracer_(tracer) {}

  // `idempotency_key` is "" when the request had none; `trace_id` is stored with the order.
  PlacedOrder Place(const telemetry::Context& trace, const log::Logger& log,
                    const nlohmann::json& body, const std::string& idempotency_key,
                    const std::string& trace_id);

  // 400 "invalid_order_id" unless `id` is a UUID; 404 "order_not_found" when unknown.
  Order Get(const telemetry::Context& trace, const std::string& id);

 private:
  OrderRequest Validate(const telemetry::Context& trace, const nlohmann::json& body);
  PlacedOrder Replay(const Order& stored, const std::string& request_hash);
  void ReleaseAfterFailure(const telemetry::Context& trace, const log::Logger& log,
                           const std::string& order_id);

  InventoryClient& inventory_;
  OrderRepository& orders_;
  const telemetry::Tracer& tracer_;
};

// {order_id, status, customer_id, customer_tier, items, trace_id}
nlohmann::json OrderJson(const Order& order);

// What to tell a client beside the trace id it is handed, given TRACE_PIPELINE (the Collector
// pipeline scripts/stack.sh started): under "tail-sampling" the trace may never reach Jaeger, and
// the note says which traces are kept; otherwise "" (every trace is kept).
std::string TraceNote(std::string_view pipeline);

}  // namespace hotorder::orders
