#include "order_logic.hpp"

#include "domain/uuid.hpp"
#include "http/http_error.hpp"

namespace hotorder::orders {

OrderRequest OrderLogic::Validate(const telemetry::Context& trace, const nlohmann::json& body) {
  auto span = tracer_.StartSpan("validate-order", trace);
  // Recorded before the rules run, so a rejected order still shows what it looked like.
  auto items = body.find("items");
  if (items != body.end() && items->is_array()) {
    span.SetAttribute("order.item_count", static_cast<std::int64_t>(items->size()));
  }
  for (const char* field : {"customer_tier", "tier"}) {  // "tier" wins when both are sent
    auto tier = body.find(field);
    if (tier != body.end() && tier->is_string() && tier->get_ref<const std::string&>().size() <= 32) {
      span.SetAttribute("order.customer_tier", tier->get<std::string>());
    }
  }
  try {
    auto request = ParseOrderRequest(body);
    span.SetAttribute("order.customer_tier", request.customer_tier);
    return request;
  } catch (const std::exception& error) {
    telemetry::RecordError(span, error);
    throw;
  }
}

PlacedOrder OrderLogic::Place(const telemetry::Context& trace, const log::Logger& log,
                              const nlohmann::json& body, const std::string& idempotency_key,
                              const std::string& trace_id) {
  if (!idempotency_key.empty()) ValidateIdempotencyKey(idempotency_key);
  auto request = Validate(trace, body);
  auto request_hash = RequestFingerprint(request);
  if (!idempotency_key.empty()) {
    if (auto stored = orders_.FindByIdempotencyKey(trace, idempotency_key)) {
      return Replay(*stored, request_hash);
    }
  }

  Order order{.id = domain::NewUuid(),
              .customer_id = request.customer_id,
              .customer_tier = request.customer_tier,
              .status = "confirmed",
              .items = request.items,
              .trace_id = trace_id,
              .idempotency_key = idempotency_key,
              .request_hash = request_hash};
  // The order id doubles as the reservation id: inventory reserves once per id, so a retried
  // reservation never takes stock twice.
  inventory_.Reserve(trace, order.id, order.items);
  try {
    orders_.Insert(trace, order);
  } catch (const DuplicateIdempotencyKey&) {
    // A concurrent request with the same key stored its order first: give back this request's
    // stock and answer as that one did.
    ReleaseAfterFailure(trace, log, order.id);
    auto stored = orders_.FindByIdempotencyKey(trace, idempotency_key);
    if (!stored) throw;
    return Replay(*stored, request_hash);
  } catch (...) {
    ReleaseAfterFailure(trace, log, order.id);
    throw;
  }
  log.Info("order placed", {{"order_id", order.id}, {"item_count", order.items.size()}});
  return {std::move(order), false};
}

PlacedOrder OrderLogic::Replay(const Order& stored, const std::string& request_hash) {
  if (stored.request_hash != request_hash) {
    throw http::HttpError(422, "idempotency_key_reused",
                          "this Idempotency-Key was used for a different order");
  }
  return {stored, true};
}

void OrderLogic::ReleaseAfterFailure(const telemetry::Context& trace, const log::Logger& log,
                                     const std::string& order_id) {
  try {
    inventory_.Release(trace, order_id);
  } catch (const std::exception& error) {
    // Nothing more can be done in this request; the log line names the reservation still held.
    log.Error("could not release the reservation of an unstored order",
              {{"reservation_id", order_id}, {"error", error.what()}});
  }
}

Order OrderLogic::Get(const telemetry::Context& trace, const std::string& id) {
  if (!domain::IsUuid(id)) {
    throw http::HttpError(400, "invalid_order_id",
                          "\"" + domain::Printable(id) + "\" is not an order id (a UUID)");
  }
  auto order = orders_.FindById(trace, id);
  if (!order) throw http::HttpError(404, "order_not_found", "no order " + id);
  return std::move(*order);
}

std::string TraceNote(std::string_view pipeline) {
  if (pipeline != "tail-sampling") return "";
  return "the Collector samples by tail: this trace reaches Jaeger only if it has an error, is "
         "slower than the latency threshold, was sent with baggage hotorder.keep=true, or falls "
         "in the sampled share of the rest";
}

nlohmann::json OrderJson(const Order& order) {
  return {{"order_id", order.id},
          {"status", order.status},
          {"customer_id", order.customer_id},
          {"customer_tier", order.customer_tier},
          {"items", domain::ItemsToJson(order.items)},
          {"trace_id", order.trace_id}};
}

}  // namespace hotorder::orders
