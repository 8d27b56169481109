#pragma once
// Every statement order-service runs, prepared once per connection. The texts are also the
// db.query.text of their spans: placeholders only, never values.

#include <string_view>

namespace hotorder::orders::sql {

// The order and its lines in one statement, run in autocommit: one round trip, and one
// implicit transaction (one commit) stores both. ON CONFLICT (id) makes a retry harmless: were
// the connection to break after the commit, the pool's retry inserts nothing (order ids are
// random UUIDs, so only a retry can repeat one). A clash on the idempotency key still raises.
// An empty Idempotency-Key is stored as NULL: the UNIQUE constraint then holds only between
// requests that carried one.
inline constexpr std::string_view kInsertOrderName = "insert_order";
inline constexpr std::string_view kInsertOrder = R"sql(
WITH new_order AS (
  INSERT INTO orders (id, customer_id, customer_tier, status, idempotency_key, request_hash, trace_id)
  VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7)
  ON CONFLICT (id) DO NOTHING RETURNING id
)
INSERT INTO order_items (order_id, line, sku, qty)
SELECT new_order.id, line.number, line.sku, line.qty
FROM new_order, unnest($8::text[], $9::integer[]) WITH ORDINALITY AS line(sku, qty, number))sql";

// One row per line of the order, the order's columns repeated.
#define HOTORDER_ORDER_COLUMNS                                                                 \
  "SELECT o.id, o.customer_id, o.customer_tier, o.status, coalesce(o.idempotency_key, ''), " \
  "o.request_hash, o.trace_id, i.sku, i.qty "                                                \
  "FROM orders o JOIN order_items i ON i.order_id = o.id "

inline constexpr std::string_view kFindByIdName = "find_order_by_id";
inline constexpr std::string_view kFindById =
    HOTORDER_ORDER_COLUMNS "WHERE o.id = $1 ORDER BY i.line";

inline constexpr std::string_view kFindByKeyName = "find_order_by_idempotency_key";
inline constexpr std::string_view kFindByKey =
    HOTORDER_ORDER_COLUMNS "WHERE o.idempotency_key = $1 ORDER BY i.line";

#undef HOTORDER_ORDER_COLUMNS

}  // namespace hotorder::orders::sql
