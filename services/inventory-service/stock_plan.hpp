#pragma once
// Evidence for the slow-index-scan fault, read from Postgres itself: how a plan reaches the
// `stock` table (EXPLAIN's JSON), and how many rows a statement really read (the table's
// counters in pg_stat_xact_user_tables, before and after).

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hotorder::inventory {

// From EXPLAIN (FORMAT JSON) output: each distinct way a scan node reads `stock`, e.g.
// "Index Scan using stock_sku_idx on stock" or "Seq Scan on stock", joined by ", ". Empty when
// no node reads stock or the JSON is not an EXPLAIN result.
std::string DescribeStockAccess(const nlohmann::json& explain);

// Whether a description from DescribeStockAccess reads all of `stock` (a sequential scan).
bool ScansWholeTable(std::string_view access) noexcept;

// pg_stat_xact_user_tables' counters for `stock` at one moment of a transaction.
struct StockScanCounters {
  std::int64_t seq_scans = 0;    // seq_scan
  std::int64_t seq_rows = 0;     // seq_tup_read: rows read by sequential scans
  std::int64_t index_scans = 0;  // idx_scan
  std::int64_t index_rows = 0;   // idx_tup_fetch: live rows fetched through indexes
};

// What happened between two readings.
struct StockScanWork {
  std::int64_t seq_scans = 0;
  std::int64_t index_scans = 0;
  std::int64_t rows_scanned = 0;  // rows read either way
};
StockScanWork Difference(const StockScanCounters& before, const StockScanCounters& after) noexcept;

}  // namespace hotorder::inventory
