#include "roles.hpp"

#include <memory>
#include <string_view>
#include <utility>

#include "order_fields.hpp"
#include "pg_session.hpp"
#include "upstream.hpp"

namespace hotorder::floor_chain {
namespace {

// What HotOrder's inventory-service writes per order (services/inventory-service/
// inventory_sql.hpp, db/migrations): one reservations row holding the order's lines as two
// arrays, and the reserved count of each line's stock row, all lines or none, in one
// autocommit statement, so one commit. The floor writes exactly that: it locks the order's
// stock rows (in id order, so two orders cannot deadlock), checks every line against the newest
// row versions (READ COMMITTED row locks return those), and only when all are available
// records the reservation and takes the stock. A refusal writes nothing durable.
constexpr PreparedStatement kReserve{"floor_reserve", R"sql(
WITH wanted AS (
  SELECT sku, qty FROM unnest($2::text[], $3::integer[]) AS wanted(sku, qty)
), locked AS (
  SELECT stock.id, stock.quantity - stock.reserved AS available, wanted.qty
  FROM stock JOIN wanted ON stock.sku = wanted.sku
  ORDER BY stock.id
  FOR UPDATE OF stock
), new_reservation AS (
  INSERT INTO reservations (id, skus, quantities)
  SELECT $1::uuid, $2::text[], $3::integer[] FROM locked
  HAVING count(*) = cardinality($2::text[]) AND bool_and(available >= qty)
  RETURNING id
), taken AS (
  UPDATE stock SET reserved = stock.reserved + locked.qty
  FROM locked, new_reservation
  WHERE stock.id = locked.id
  RETURNING stock.id
)
SELECT count(*) FROM taken)sql",
                                     3};

// HotOrder's order-service stores the order and its lines with the same statement, also in
// autocommit: the same rows, one commit.
constexpr PreparedStatement kInsertOrder{"floor_insert_order", R"sql(
WITH new_order AS (
  INSERT INTO orders (id, customer_id, customer_tier, status, request_hash, trace_id)
  VALUES ($1::uuid, $2, $3, 'confirmed', $4, $5) RETURNING id
)
INSERT INTO order_items (order_id, line, sku, qty)
SELECT new_order.id, line.number, line.sku, line.qty
FROM new_order, unnest($6::text[], $7::integer[]) WITH ORDINALITY AS line(sku, qty, number))sql",
                                         7};

constexpr std::string_view kBadOrder = R"({"error":"an order needs lines of \"sku\" and \"qty\""})";
constexpr std::string_view kUpstreamFailed = R"({"error":"upstream unavailable"})";
constexpr std::string_view kDatabaseFailed = R"({"error":"database unavailable"})";

Reply NotFound() { return {404, R"({"error":"not found"})"}; }

bool IsPost(const HttpMessage& request, std::string_view target) {
  return Method(request) == "POST" && Target(request) == target;
}

// A 2xx-5xx answer from the next hop passes through as it came; anything else is our failure.
Reply Relay(const HttpMessage& response) {
  int status = StatusCode(response);
  if (status < 200 || status > 599) return {502, std::string(kUpstreamFailed)};
  return {status, response.body};
}

class FrontHandler final : public ConnectionHandler {
 public:
  explicit FrontHandler(int next_port) : next_(next_port) {}

  Reply Handle(const HttpMessage& request) override {
    if (!IsPost(request, "/api/orders")) return NotFound();
    if (!next_.Exchange(FormatPost("/orders", {}, request.body), response_)) {
      return {502, std::string(kUpstreamFailed)};
    }
    return Relay(response_);
  }

 private:
  Upstream next_;
  HttpMessage response_;
};

class MiddleHandler final : public ConnectionHandler {
 public:
  MiddleHandler(int next_port, const std::string& database_url)
      : next_(next_port), database_(database_url, {kInsertOrder}) {}

  Reply Handle(const HttpMessage& request) override {
    if (!IsPost(request, "/orders")) return NotFound();
    auto lines = ParseOrderLines(request.body);
    if (!lines) return {400, std::string(kBadOrder)};

    // The order id doubles as the reservation id, as in HotOrder.
    auto order_id = NewUuid();
    if (!next_.Exchange(FormatPost("/reserve", order_id, request.body), response_)) {
      return {502, std::string(kUpstreamFailed)};
    }
    if (StatusCode(response_) != 201) return Relay(response_);

    std::string customer_id(StringField(request.body, "customer_id").value_or(""));
    std::string customer_tier(StringField(request.body, "customer_tier").value_or("standard"));
    // HotOrder stores a fingerprint of the request and the trace id; the same shapes here keep
    // the row, and so the WAL written per order, the same size.
    auto request_hash = Fnv1aHex(request.body);
    auto trace_id = RandomHex(32);
    auto stored = database_.Execute(
        kInsertOrder.name, {order_id.c_str(), customer_id.c_str(), customer_tier.c_str(),
                            request_hash.c_str(), trace_id.c_str(), lines->skus.c_str(),
                            lines->quantities.c_str()});
    // HotOrder releases the reservation when the insert fails; the floor never gets here in a
    // benchmark, so it only reports the failure.
    if (!stored.ok()) return {503, std::string(kDatabaseFailed)};
    return {201, R"({"order_id":")" + order_id + R"(","status":"confirmed"})"};
  }

 private:
  Upstream next_;
  PgSession database_;
  HttpMessage response_;
};

class BackHandler final : public ConnectionHandler {
 public:
  explicit BackHandler(const std::string& database_url) : database_(database_url, {kReserve}) {}

  Reply Handle(const HttpMessage& request) override {
    if (!IsPost(request, "/reserve")) return NotFound();
    auto lines = ParseOrderLines(request.body);
    if (!lines || request.reservation_id.empty()) return {400, std::string(kBadOrder)};
    auto reserved = database_.Execute(kReserve.name, {request.reservation_id.c_str(),
                                                      lines->skus.c_str(),
                                                      lines->quantities.c_str()});
    if (!reserved.ok() || reserved.Rows() != 1) return {503, std::string(kDatabaseFailed)};
    // Unlike HotOrder, no second query to name the short line: the refusal is what matters.
    if (reserved.Value(0, 0) != std::to_string(lines->count)) {
      return {409, R"({"error":"insufficient stock"})"};
    }
    return {201, R"({"reservation_id":")" + request.reservation_id + R"("})"};
  }

 private:
  PgSession database_;
};

}  // namespace

HandlerFactory FrontRole(int next_port) {
  return [next_port] { return std::make_unique<FrontHandler>(next_port); };
}

HandlerFactory MiddleRole(int next_port, std::string database_url) {
  return [next_port, url = std::move(database_url)] {
    return std::make_unique<MiddleHandler>(next_port, url);
  };
}

HandlerFactory BackRole(std::string database_url) {
  return [url = std::move(database_url)] { return std::make_unique<BackHandler>(url); };
}

}  // namespace hotorder::floor_chain
