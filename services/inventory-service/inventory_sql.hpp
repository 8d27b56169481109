#pragma once
// Every statement inventory-service runs, prepared once per connection. The texts are also the
// db.query.text of their spans: placeholders only, never values.

#include <string_view>

namespace hotorder::inventory::sql {

// One statement reserves every line of a reservation or none, in autocommit: one round trip
// and one commit, as cheap as a single UPDATE can be. `available` locks every line that can be
// served; FOR UPDATE re-checks `quantity - reserved >= qty` on the newest row version after
// waiting for a concurrent writer, so two reservations cannot oversell, and it locks in SKU
// order, so two multi-line reservations cannot deadlock. Only when every line
// is available is the reservation recorded, with its lines (a retry with the same id finds it
// and reserves nothing), and only then is stock taken. `existed` (the statement's snapshot)
// tells a retry apart from a refusal; `lines_available` tells a concurrent retry with the same
// id (everything available, nothing recorded) apart from a refusal.
inline constexpr std::string_view kReserveName = "reserve_stock";
inline constexpr std::string_view kReserve = R"sql(
WITH wanted AS (
  SELECT * FROM unnest($2::text[], $3::integer[]) AS wanted(sku, qty)
), available AS (
  SELECT stock.sku FROM stock JOIN wanted ON stock.sku = wanted.sku
  WHERE stock.quantity - stock.reserved >= wanted.qty
  ORDER BY stock.sku
  FOR UPDATE OF stock
), new_reservation AS (
  INSERT INTO reservations (id, skus, quantities)
  SELECT $1, $2, $3 WHERE (SELECT count(*) FROM available) = cardinality($2::text[])
  ON CONFLICT (id) DO NOTHING RETURNING id
), taken AS (
  UPDATE stock SET reserved = stock.reserved + wanted.qty
  FROM wanted, new_reservation
  WHERE stock.sku = wanted.sku AND stock.quantity - stock.reserved >= wanted.qty
  RETURNING stock.sku
)
SELECT EXISTS (SELECT 1 FROM reservations WHERE id = $1) AS existed,
       (SELECT count(*) FROM available) AS lines_available,
       (SELECT count(*) FROM taken) AS lines_reserved)sql";

// After a refused reservation: why. Unknown SKUs are absent from the result.
inline constexpr std::string_view kAvailabilityName = "stock_availability";
inline constexpr std::string_view kAvailability =
    "SELECT sku, quantity - reserved AS available FROM stock WHERE sku = ANY($1::text[])";

// Deletes the reservation and gives its lines back in one statement (autocommit). A second
// release finds no row and changes nothing.
inline constexpr std::string_view kReleaseName = "release_reservation";
inline constexpr std::string_view kRelease = R"sql(
WITH released AS (
  DELETE FROM reservations WHERE id = $1 RETURNING skus, quantities
), returned AS (
  UPDATE stock SET reserved = stock.reserved - line.qty
  FROM released, unnest(released.skus, released.quantities) AS line(sku, qty)
  WHERE stock.sku = line.sku
)
SELECT count(*) FROM released)sql";

inline constexpr std::string_view kFindStockName = "find_stock";
inline constexpr std::string_view kFindStock =
    "SELECT sku, name, quantity, reserved FROM stock WHERE sku = $1";

// The slow-index-scan fault (slow_index_scan.hpp) ---------------------------------------------

// The generic plan of kReserve as every normal reservation runs it (the connection forces
// generic plans; the values here do not matter, and EXPLAIN without ANALYZE runs nothing).
inline constexpr std::string_view kExplainPreparedReserve =
    "EXPLAIN (FORMAT JSON) EXECUTE reserve_stock('00000000-0000-0000-0000-000000000000', '{}', '{}')";

// seqscan mode: SET LOCAL lasts until the transaction ends, so only the faulted reservation
// loses its index. It then runs kReserve as an unnamed statement, planned under these settings
// (the prepared statement would keep its cached index plan). Sent together with
// kStockScanCounters, to read the counters before the reservation in the same round trip.
inline constexpr std::string_view kDisableIndexScans =
    "SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off; "
    "SET LOCAL enable_bitmapscan = off;";

// What this transaction has done to `stock` so far, from Postgres' own statistics.
inline constexpr std::string_view kStockScanCounters = R"sql(
SELECT seq_scan, seq_tup_read, coalesce(idx_scan, 0), coalesce(idx_tup_fetch, 0)
FROM pg_stat_xact_user_tables WHERE relid = 'stock'::regclass)sql";

// sleep mode: Postgres' estimate of the rows in `stock` (kept by ANALYZE), i.e. what a full
// scan would read.
inline constexpr std::string_view kStockRowEstimateName = "stock_row_estimate";
inline constexpr std::string_view kStockRowEstimate =
    "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'stock'::regclass";

}  // namespace hotorder::inventory::sql
