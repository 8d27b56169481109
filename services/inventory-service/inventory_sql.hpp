#pragma once
// Every statement inventory-service runs, prepared once per connection. The texts are also the
// db.query.text of their spans: placeholders only, never values.

#include <string_view>

namespace hotorder::inventory::sql {

// One statement reserves every line of a reservation: it records the reservation id (a retry
// with the same id finds it and reserves nothing), and takes stock only where enough is
// available, checked in the UPDATE itself so concurrent reservations cannot oversell (a
// concurrent writer's row lock makes Postgres re-check the condition on the newest row). The
// caller commits only when every line was reserved.
inline constexpr std::string_view kReserveName = "reserve_stock";
inline constexpr std::string_view kReserve = R"sql(
WITH new_reservation AS (
  INSERT INTO reservations (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id
), taken AS (
  UPDATE stock SET reserved = stock.reserved + wanted.qty
  FROM unnest($2::text[], $3::integer[]) AS wanted(sku, qty), new_reservation
  WHERE stock.sku = wanted.sku AND stock.quantity - stock.reserved >= wanted.qty
  RETURNING stock.sku, wanted.qty
), recorded AS (
  INSERT INTO reservation_items (reservation_id, sku, qty)
  SELECT $1, sku, qty FROM taken RETURNING sku
)
SELECT (SELECT count(*) FROM new_reservation) AS is_new,
       (SELECT count(*) FROM recorded) AS lines_reserved)sql";

// After a refused reservation (rolled back): why. Unknown SKUs are absent from the result.
inline constexpr std::string_view kAvailabilityName = "stock_availability";
inline constexpr std::string_view kAvailability =
    "SELECT sku, quantity - reserved AS available FROM stock WHERE sku = ANY($1::text[])";

inline constexpr std::string_view kReleaseItemsName = "release_items";
inline constexpr std::string_view kReleaseItems = R"sql(
WITH released AS (
  DELETE FROM reservation_items WHERE reservation_id = $1 RETURNING sku, qty
)
UPDATE stock SET reserved = stock.reserved - released.qty
FROM released WHERE stock.sku = released.sku)sql";

inline constexpr std::string_view kDeleteReservationName = "delete_reservation";
inline constexpr std::string_view kDeleteReservation = "DELETE FROM reservations WHERE id = $1";

inline constexpr std::string_view kFindStockName = "find_stock";
inline constexpr std::string_view kFindStock =
    "SELECT sku, name, quantity, reserved FROM stock WHERE sku = $1";

}  // namespace hotorder::inventory::sql
